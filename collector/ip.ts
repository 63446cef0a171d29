// The client's address as Express sees it (TRUST_PROXY decides about X-Forwarded-For).
import { isIP } from 'node:net'
import type { Request } from 'express'

/**
 * req.ip as a plain address, or '' when it is none: with TRUST_PROXY the value comes
 * from X-Forwarded-For, where a client or a proxy may put anything ("1.2.3.4:5678",
 * "unknown"). IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d.
 */
export function clientIp(req: Request): string {
  let ip = (req.ip ?? '').trim()
  if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'))
  else if (/^\[[0-9a-fA-F:.]+\](:\d+)?$/.test(ip)) ip = ip.slice(1, ip.indexOf(']'))
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7)
  return isIP(ip) === 0 ? '' : ip
}

