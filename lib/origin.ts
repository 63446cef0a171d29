// Is a browser's Origin Spoor itself? Compared with the Host header and with PUBLIC_URL:
// behind a proxy that rewrites Host (nginx's default `Host $proxy_host`), only PUBLIC_URL
// names the origin the browser saw.
import type { Request } from 'express'

/** `host` (host:port of an Origin) is Spoor's own: the Host header or PUBLIC_URL's host. */
export function isOwnHost(host: string, hostHeader: string | undefined, publicHost: string): boolean {
  return host === hostHeader || host === publicHost
}

export function isOwnOrigin(origin: string, req: Request, publicUrl: string): boolean {
  return URL.canParse(origin) && isOwnHost(new URL(origin).host, req.get('host'), new URL(publicUrl).host)
}
