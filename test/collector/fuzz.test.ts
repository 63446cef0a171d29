// Hostile input at the collector: thousands of generated requests, written as raw
// bytes on a socket so that nothing between the generator and the server tidies them
// (random bytes, deep nesting, huge strings, wrong types, unicode and control
// characters, enormous URLs, forged X-Forwarded-For, wrong content types and lengths).
// Only 4xx and 202 may come back, the server keeps answering, what is stored is
// exactly the well-formed events that got a 202, and memory stays flat.
import { connect } from 'node:net'
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve } from '../helpers/browser.ts'
import { CHROME_UA, makeApp, pageview, rid, type TestApp } from '../helpers/app.ts'

let t: TestApp
let port = 0
let stop: () => Promise<void>

beforeAll(async () => {
  // Loopback is one network: without a high limit the flood below would mostly be 429s.
  t = await makeApp({ COLLECT_LIMIT_PER_MINUTE: '1000000' })
  const s = await serve(t.app)
  port = Number(new URL(s.base).port)
  stop = s.close
})
afterAll(async () => {
  await stop?.()
  await t?.close()
})

/** A deterministic generator (mulberry32), so that a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

interface Case {
  headers: Array<[string, string]>
  body: Buffer
  /** The event id when the body may be a valid event (then it may be stored, under this id). */
  id?: string
}

function generator(seed: number) {
  const r = rng(seed)
  const int = (n: number) => Math.floor(r() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)))
  const weird = () =>
    pick([
      '\u0000\u0001\u0007\u001b[31m',
      '\u202e\u200f\u2066',
      '🎉👩‍💻🏳️‍🌈',
      '東京の天気',
      '<script>alert(1)</script>',
      "'; DROP TABLE events; --",
      '\ud800', // a lone surrogate
      '%00%0d%0a',
      'a'.repeat(int(3000)),
    ])
  const value = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => int(2 ** 31) * (r() < 0.5 ? -1 : 1),
      () => r() * 1e308,
      () => true,
      () => weird(),
      () => [weird(), int(9)],
      () => ({ [weird()]: weird() }),
      () => 'x'.repeat(int(20_000)),
    ])()
  const nested = (depth: number) => (r() < 0.5 ? '['.repeat(depth) + ']'.repeat(depth) : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
  const xff = () =>
    pick([
      '1.2.3.4',
      '999.1.1.1',
      'unknown, 10.0.0.1',
      Array.from({ length: 200 }, () => `${int(256)}.${int(256)}.${int(256)}.${int(256)}`).join(', '),
      '::ffff:8.8.8.8',
      '[2001:db8::1]:443',
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the header cannot carry
      weird().replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '?'),
    ])

  return (): Case => {
    const headers: Array<[string, string]> = [['User-Agent', CHROME_UA]]
    const ctype = pick([
      'application/json',
      'text/plain;charset=UTF-8',
      'text/plain; charset=iso-8859-1',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      '',
      'text/html',
    ])
    if (ctype) headers.push(['Content-Type', ctype])
    if (r() < 0.3) headers.push(['X-Forwarded-For', xff()])
    if (r() < 0.2)
      headers.push(['Origin', pick(['https://example.com', 'https://evil.example.net', 'null', 'http://[::1', weird().replace(/[^\x21-\x7e]/g, '')])])
    if (r() < 0.1) headers.push(['Content-Encoding', pick(['gzip', 'br', 'identity'])])
    const kind = int(7)
    if (kind === 0) return { headers, body: bytes(int(3000)) }
    if (kind === 1) return { headers, body: Buffer.from(nested(1 + int(50_000))) }
    if (kind === 2) {
      // One field of a good event replaced by something else.
      const ev: Record<string, unknown> = { ...pageview() }
      const field = pick(['site', 'type', 'url', 'referrer', 'title', 'screen', 'consent', 'vid', 'sid', 'id', 'name', 'props', 'domain', weird()])
      ev[field] = value()
      // Some of these are still valid (an unknown key, a string title): they may be stored.
      return { headers, body: Buffer.from(JSON.stringify(ev)), id: typeof ev.id === 'string' ? ev.id : undefined }
    }
    if (kind === 3) {
      // Up to 40,000 characters: over 4,096 a 400, over the 16 KB body a 413, below both stored.
      const ev = pageview({ url: `https://example.com/${'a'.repeat(int(40_000))}` })
      return { headers, body: Buffer.from(JSON.stringify(ev)), id: ev.id }
    }
    if (kind === 4) return { headers, body: Buffer.from(JSON.stringify(pageview()).slice(0, int(200))) }
    if (kind === 5) return { headers, body: Buffer.from(JSON.stringify(value()) ?? 'undefined') }
    // A well-formed event with odd but valid text: may be stored, and then exactly as sent.
    const id = rid()
    const ev = pageview({ id, title: weird(), url: `https://example.com/${encodeURIComponent(weird().replace(/[\ud800-\udfff]/g, ''))}`, referrer: weird() })
    return {
      headers: [['User-Agent', CHROME_UA], ['Content-Type', 'text/plain'], ...(r() < 0.5 ? ([['X-Forwarded-For', xff()]] as Array<[string, string]>) : [])],
      body: Buffer.from(JSON.stringify(ev)),
      id,
    }
  }
}

/** One request on a fresh socket; resolves with the status code (0 when the server closed without answering). */
function raw(c: Case, lengthLie = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1')
    let answer = ''
    const timer = setTimeout(() => {
      sock.destroy()
      reject(new Error('no answer within 10 s'))
    }, 10_000)
    sock.on('data', (d) => {
      answer += d.toString('latin1')
      if (answer.includes('\r\n')) sock.end()
    })
    sock.on('close', () => {
      clearTimeout(timer)
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0))
    })
    sock.on('error', () => {
      // the server may close on a malformed request before reading all of it
    })
    const length = lengthLie ? Math.max(0, c.body.length - 5) : c.body.length
    const head = [
      `POST /api/event HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Connection: close',
      `Content-Length: ${length}`,
      ...c.headers.map(([k, v]) => `${k}: ${v}`),
    ].join('\r\n')
    sock.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), c.body]))
  })
}

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const heapAfterGc = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

describe('collector under hostile input', () => {
  it('answers 3,000 generated requests with 4xx or 202 only, stores exactly the well-formed ones it accepted, and keeps its memory flat', async () => {
    const next = generator(20261125)
    const statuses = new Map<number, number>()
    const accepted: string[] = []
    const valid: string[] = []
    const round = async (n: number) => {
      for (let i = 0; i < n; i += 8) {
        await Promise.all(
          Array.from({ length: 8 }, async (_, k) => {
            const c = next()
            const status = await raw(c, (i + k) % 97 === 0)
            statuses.set(status, (statuses.get(status) ?? 0) + 1)
            if (c.id) valid.push(c.id)
            if (c.id && status === 202) accepted.push(c.id)
          }),
        )
      }
    }
    await round(1000) // warm: caches and pools fill
    await t.flush()
    const before = heapAfterGc()
    await round(2000)
    await t.flush()
    const after = heapAfterGc()

    for (const [s, n] of statuses) expect(s === 202 || (s >= 400 && s < 500), `${n} answers with status ${s}`).toBe(true)
    expect(statuses.get(202) ?? 0).toBe(accepted.length)
    expect(accepted.length).toBeGreaterThan(200)
    // Everything accepted is stored, once; nothing else of the flood is.
    const rows = await t.db.query<{ n: string; ids: string }>(
      'SELECT count() AS n, uniqExact(event_id) AS ids FROM events WHERE event_id IN {ids:Array(String)}',
      { ids: valid },
    )
    expect(Number(rows[0]?.n)).toBe(accepted.length)
    expect(Number(rows[0]?.ids)).toBe(accepted.length)
    expect(await t.count('events', "site NOT IN ('example.com', 'shop.example.org')")).toBe(0)
    // A forged X-Forwarded-For is not believed (TRUST_PROXY is off): every address kept is the socket's.
    const ips = await t.db.query<{ ip: string }>(
      'SELECT DISTINCT ip FROM visit_ips WHERE sid IN (SELECT sid FROM events WHERE event_id IN {ids:Array(String)})',
      { ids: accepted },
    )
    expect(ips.map((r) => r.ip)).toEqual(['::ffff:127.0.0.1']) // the IPv6 column's form of 127.0.0.1
    // 2,000 more requests (some hundreds of them stored): the heap after a collection grows by less than 16 MB.
    expect(after - before).toBeLessThan(16 * 1024 * 1024)
    // And it still answers an ordinary page view.
    const ok = await raw({
      headers: [
        ['User-Agent', CHROME_UA],
        ['Content-Type', 'text/plain'],
      ],
      body: Buffer.from(JSON.stringify(pageview())),
    })
    expect(ok).toBe(202)
  }, 120_000)
})
