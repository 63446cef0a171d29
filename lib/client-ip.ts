// The client's address (TRUST_PROXY decides about X-Forwarded-For).
import type { IncomingMessage } from 'node:http'
import { isIP, SocketAddress } from 'node:net'
import type { Request } from 'express'
import proxyaddr from 'proxy-addr'

/**
 * An address in its one canonical form, or '' when it is none: with TRUST_PROXY the
 * value comes from X-Forwarded-For, where a client or a proxy may put anything
 * ("1.2.3.4:5678", "unknown", "fe80::1%eth0"). IPv6 is lower case and compressed, its
 * zone id dropped (Node's isIP accepts "2a02:a210::1%0", ClickHouse's IPv6 does not: one
 * such address stopped every insert); IPv4 clients on a dual-stack socket (::ffff:a.b.c.d,
 * in any spelling) become a.b.c.d.
 */
export function plainAddress(raw: string | undefined): string {
  let ip = (raw ?? '').trim()
  if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'))
  else if (/^\[[0-9a-fA-F:.%\w-]+\](:\d+)?$/.test(ip)) ip = ip.slice(1, ip.indexOf(']'))
  const family = isIP(ip)
  if (family === 4) return ip
  if (family === 0) return ''
  const zone = ip.indexOf('%')
  if (zone >= 0) ip = ip.slice(0, zone)
  // SocketAddress prints the form inet_ntop gives: "2A02:A210:0:0::1" → "2a02:a210::1".
  ip = new SocketAddress({ address: ip, family: 'ipv6' }).address
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}

/** req.ip (Express's TRUST_PROXY handling) as a plain address. */
export function clientIp(req: Request): string {
  return plainAddress(req.ip)
}

/**
 * The same for a request that does not go through Express (the event endpoint, see
 * server/app.ts): proxy-addr with Express's compiled TRUST_PROXY, as req.ip does, and the
 * socket's peer alone when no proxy is trusted (proxy-addr parsed X-Forwarded-For on
 * every event only to ignore it: 2% of the collector's time).
 */
export function clientAddress(trustsProxy: boolean, trust: (addr: string, i: number) => boolean): (req: IncomingMessage) => string {
  return trustsProxy ? (req) => plainAddress(proxyaddr(req, trust)) : (req) => plainAddress(req.socket.remoteAddress)
}
