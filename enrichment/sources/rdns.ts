// Reverse DNS (PTR) as a further signal: the registrable domain of the host name
// (tldts) can name a company's domain, and ISP-style host names mark consumer lines.
// Off by default (RDNS=false): a PTR query carries the address to the DNS resolver
// and to the network owner's name servers, and Spoor promises that no IP leaves the
// machine unless the operator decides so. The resolver is injected, so tests need no network.
import { promises as dns } from 'node:dns'
import { getDomain } from 'tldts'
import { BoundedMap } from '../../lib/bounded.ts'

export type Resolver = (ip: string) => Promise<string[]>

export interface PtrSignal {
  hostname: string
  domain: string | null
  /** The host name looks like a consumer line: dynamic, dsl, cable, pool, customer … */
  consumerLike: boolean
}

// Labels ISPs use for subscriber lines, as whole words between dots or dashes.
const CONSUMER_WORDS =
  /(^|[.-])(dyn|dynamic|dhcp|dsl|adsl|vdsl|xdsl|cable|cust|customer|customers|pool|ppp|pppoe|dialup|dial|broadband|bb|res|resi|residential|home|client|clients|user|users|subscriber|sub|ftth|fttx|fttp|fibre|fiber|mobile|mob|cell|cellular|wireless|wlan|lte|gprs|umts|3g|4g|5g|nat|cgnat|dip|catv|hsi|static)(\d*)([.-]|$)/i
// The address written into the name (84-12-34-56.example.net, 56.34.12.84.in-addr …).
const ADDRESS_IN_NAME = /(\d{1,3}[.-]){3}\d{1,3}/

export function ptrSignal(hostname: string, consumerDomains: ReadonlySet<string>): PtrSignal {
  const h = hostname.toLowerCase().replace(/\.$/, '')
  const domain = getDomain(h)
  const consumerLike = CONSUMER_WORDS.test(h) || ADDRESS_IN_NAME.test(h) || (domain !== null && consumerDomains.has(domain))
  return { hostname: h, domain, consumerLike }
}

interface Cached {
  value: PtrSignal | null
  until: number
}

export class ReverseDns {
  private readonly cache: BoundedMap<string, Cached>

  constructor(
    private readonly consumerDomains: ReadonlySet<string>,
    private readonly resolver: Resolver = (ip) => dns.reverse(ip),
    private readonly opts = { timeoutMs: 1500, cacheMax: 20_000, hitTtlMs: 6 * 3600_000, missTtlMs: 3600_000 },
  ) {
    this.cache = new BoundedMap(opts.cacheMax / 2)
  }

  /** The PTR signal for `ip`, or null (no name, timeout, error). Never throws. */
  async lookup(ip: string): Promise<PtrSignal | null> {
    const now = Date.now()
    const hit = this.cache.get(ip)
    if (hit && hit.until > now) return hit.value
    let value: PtrSignal | null = null
    let timer: NodeJS.Timeout | undefined
    try {
      const names = await Promise.race([
        this.resolver(ip),
        new Promise<string[]>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.opts.timeoutMs)
        }),
      ])
      const first = names.find((n) => n.length > 0 && n.length <= 253)
      value = first ? ptrSignal(first, this.consumerDomains) : null
    } catch {
      value = null
    } finally {
      clearTimeout(timer)
    }
    this.cache.set(ip, { value, until: now + (value ? this.opts.hitTtlMs : this.opts.missTtlMs) })
    return value
  }
}
