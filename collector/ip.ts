// The client's address (TRUST_PROXY decides about X-Forwarded-For).
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import type { Request } from 'express'
import proxyaddr from 'proxy-addr'

/**
 * An address as a plain address, or '' when it is none: with TRUST_PROXY the value comes
 * from X-Forwarded-For, where a client or a proxy may put anything ("1.2.3.4:5678",
 * "unknown"). IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d.
 */
export function plainAddress(raw: string | undefined): string {
  let ip = (raw ?? '').trim()
  if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'))
  else if (/^\[[0-9a-fA-F:.]+\](:\d+)?$/.test(ip)) ip = ip.slice(1, ip.indexOf(']'))
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7)
  return isIP(ip) === 0 ? '' : ip
}

/** req.ip (Express's TRUST_PROXY handling) as a plain address. */
export function clientIp(req: Request): string {
  return plainAddress(req.ip)
}

/**
 * The same for a request that does not go through Express (the event endpoint, see
 * lib/app.ts): proxy-addr with Express's compiled TRUST_PROXY, as req.ip does, and the
 * socket's peer alone when no proxy is trusted (proxy-addr parsed X-Forwarded-For on
 * every event only to ignore it: 2% of the collector's time).
 */
export function clientAddress(trustsProxy: boolean, trust: (addr: string, i: number) => boolean): (req: IncomingMessage) => string {
  return trustsProxy ? (req) => plainAddress(proxyaddr(req, trust)) : (req) => plainAddress(req.socket.remoteAddress)
}
