// Reverse DNS with an injected resolver: no network in tests.
import { describe, expect, it } from 'vitest'
import { ptrSignal, ReverseDns } from '../../enrichment/sources/rdns.ts'

const CONSUMER = new Set(['ziggo.nl'])

describe('PTR names', () => {
  it.each([
    ['dsl-84-12-3-4.dynamic.example.net', true],
    ['84-12-3-4.cable.example.com', true],
    ['cpe-1234.customers.example.org', true],
    ['ip-10-0-0-1.pool.example.de', true],
    ['d51a4c2e.static.ziggo.nl', true],
    ['mail.acme.nl', false],
    ['gw1.office.acme-widgets.com', false],
    ['vpn.example.co.uk', false],
  ])('%s looks like a consumer line: %s', (host, consumer) => {
    expect(ptrSignal(host, CONSUMER).consumerLike).toBe(consumer)
  })

  it('reduces the host name to its registrable domain', () => {
    expect(ptrSignal('gw1.office.acme.co.uk.', CONSUMER)).toEqual({ hostname: 'gw1.office.acme.co.uk', domain: 'acme.co.uk', consumerLike: false })
  })
})

describe('ReverseDns', () => {
  it('answers from the resolver, caches, and asks again only after the cache expires', async () => {
    let calls = 0
    const r = new ReverseDns(
      CONSUMER,
      async () => {
        calls++
        return ['mail.acme.nl']
      },
      { timeoutMs: 1000, cacheMax: 10, hitTtlMs: 80, missTtlMs: 80 },
    )
    expect((await r.lookup('192.0.2.1'))?.domain).toBe('acme.nl')
    expect((await r.lookup('192.0.2.1'))?.domain).toBe('acme.nl')
    expect(calls).toBe(1)
    await new Promise((res) => setTimeout(res, 120))
    expect((await r.lookup('192.0.2.1'))?.domain).toBe('acme.nl')
    expect(calls).toBe(2)
  })

  it('gives null on a timeout or an error, and never throws', async () => {
    const slow = new ReverseDns(CONSUMER, () => new Promise(() => {}), { timeoutMs: 50, cacheMax: 10, hitTtlMs: 1000, missTtlMs: 1000 })
    const t0 = Date.now()
    expect(await slow.lookup('192.0.2.1')).toBeNull()
    expect(Date.now() - t0).toBeLessThan(1000)
    const failing = new ReverseDns(CONSUMER, async () => {
      throw new Error('ENOTFOUND')
    })
    expect(await failing.lookup('192.0.2.2')).toBeNull()
  })
})
