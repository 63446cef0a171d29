// Is a browser's Origin Spoor itself? Compared with the Host header and with PUBLIC_URL:
// behind a proxy that rewrites Host (nginx's default `Host $proxy_host`), only PUBLIC_URL
// names the origin the browser saw.
import type { Request } from 'express'

export function isOwnOrigin(origin: string, req: Request, publicUrl: string): boolean {
  if (!URL.canParse(origin)) return false
  const host = new URL(origin).host
  return host === req.get('host') || host === new URL(publicUrl).host
}
