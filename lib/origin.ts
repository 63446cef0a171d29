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

/**
 * An Origin header parsed to its hostname and host (host:port), or null if it is not
 * a URL. Every beacon request carries one and a site sends the same few, so parses
 * are kept (bounded; cleared when full): the collector asked twice per event (CORS and
 * the origin check), and each `new URL` cost about 2 µs in the bench.
 */
const origins = new Map<string, { hostname: string; host: string } | null>()
const ORIGINS_MAX = 10_000
export function parseOrigin(origin: string): { hostname: string; host: string } | null {
  let o = origins.get(origin)
  if (o === undefined) {
    if (URL.canParse(origin)) {
      const u = new URL(origin)
      o = { hostname: u.hostname, host: u.host }
    } else o = null
    if (origins.size >= ORIGINS_MAX) origins.clear()
    origins.set(origin, o)
  }
  return o
}
