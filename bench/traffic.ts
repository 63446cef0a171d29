// Realistic beacon traffic for the bench: many sites, a long tail
// of pages, browsers in roughly their market shares, addresses from all over the
// public IPv4 and IPv6 space, and visitors who browse several pages. Half of the
// visitors consent only after their first page: that first page is refused (403)
// and is not counted as accepted. Seeded, so two runs send the same traffic.

/** mulberry32: small, fast and good enough to shape traffic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const hex = (r: () => number, n: number) => {
  let s = ''
  for (let i = 0; i < n; i++) s += ((r() * 16) | 0).toString(16)
  return s
}

// Shares as in StatCounter's 2024 worldwide desktop+mobile figures, rounded.
const AGENTS: Array<[number, string]> = [
  [30, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'],
  [20, 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'],
  [15, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'],
  [8, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'],
  [7, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'],
  [5, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'],
  [4, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36'],
  [3, 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36'],
  [3, 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0'],
  [2, 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'],
  [2, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0'],
  [1, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36'],
]
const AGENT_TOTAL = AGENTS.reduce((s, [w]) => s + w, 0)

const REFERRERS = [
  '',
  '',
  '',
  'https://www.google.com/',
  'https://www.google.nl/',
  'https://www.bing.com/',
  'https://duckduckgo.com/',
  'https://www.linkedin.com/',
  'https://t.co/abc',
  'https://news.ycombinator.com/',
  'android-app://com.google.android.gm/',
]
const SECTIONS = ['blog', 'products', 'docs', 'pricing', 'about', 'careers', 'news', 'cases']
const SCREENS = [1920, 1536, 1440, 1366, 390, 412, 430, 768]

/** A public unicast address: reserved IPv4 blocks are skipped, IPv6 is drawn from 2000::/3 as allocated. */
export function publicIp(r: () => number): string {
  if (r() < 0.15) {
    // 2a00::/11 (RIPE) and 2600::/12 (ARIN) hold most client IPv6.
    const first = r() < 0.6 ? 0x2a00 + ((r() * 0x20) | 0) : 0x2600 + ((r() * 0x10) | 0)
    const groups = [first.toString(16)]
    for (let i = 0; i < 7; i++) groups.push(((r() * 0x10000) | 0).toString(16))
    return groups.join(':')
  }
  for (;;) {
    const a = 1 + ((r() * 223) | 0)
    const b = (r() * 256) | 0
    if (
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) ||
      a === 0
    )
      continue
    return `${a}.${b}.${(r() * 256) | 0}.${1 + ((r() * 254) | 0)}`
  }
}

/** A long tail: page k of n is chosen with weight 1/k (Zipf), as real sites see. */
function zipf(r: () => number, n: number): number {
  // Inverse of the harmonic CDF, approximated by exp: good to a few percent for n >= 50.
  return Math.min(n - 1, Math.floor(Math.exp(r() * Math.log(n + 1))) - 1)
}

interface Visitor {
  site: string
  vid: string
  sid: string
  ua: string
  ip: string
  referrer: string
  screen: number
  pagesLeft: number
  consented: boolean
}

export interface BeaconRequest {
  /** The event id in the body. */
  id: string
  body: string
  headers: Record<string, string>
  /** false for the refused pre-consent page: it is answered 403 and stored nowhere. */
  consented: boolean
}

export class Traffic {
  private readonly r: () => number
  private readonly pool: Visitor[] = []
  private seq = 0

  constructor(
    readonly sites: readonly string[],
    seed = 1,
    readonly activeVisitors = 2000,
    readonly lateConsent = 0.5,
  ) {
    this.r = rng(seed)
  }

  private visitor(): Visitor {
    const r = this.r
    let pick = r() * AGENT_TOTAL
    let ua = AGENTS[0]![1]
    for (const [w, a] of AGENTS) {
      pick -= w
      if (pick < 0) {
        ua = a
        break
      }
    }
    return {
      site: this.sites[zipf(r, this.sites.length)]!,
      vid: hex(r, 32),
      sid: hex(r, 32),
      ua,
      ip: publicIp(r),
      referrer: REFERRERS[(r() * REFERRERS.length) | 0]!,
      screen: SCREENS[(r() * SCREENS.length) | 0]!,
      // 1 to 8 pages, most visits short (about half bounce).
      pagesLeft: 1 + Math.floor(-Math.log(1 - r()) * 1.4),
      consented: r() >= this.lateConsent,
    }
  }

  next(): BeaconRequest {
    const r = this.r
    const slot = (r() * this.activeVisitors) | 0
    let v = this.pool[slot]
    if (!v || v.pagesLeft <= 0) v = this.pool[slot] = this.visitor()
    const consented = v.consented
    if (consented) v.pagesLeft--
    // A late consenter's first page goes out without consent; the next ones with it.
    v.consented = true
    const page = zipf(r, 500)
    const section = SECTIONS[page % SECTIONS.length]
    const utm = r() < 0.08 ? `?utm_source=newsletter&utm_medium=email&utm_campaign=week${(r() * 52) | 0}` : ''
    const id = `${hex(r, 16)}${(this.seq++).toString(16).padStart(16, '0')}`
    const body = JSON.stringify({
      site: v.site,
      type: 'pageview',
      url: `https://${v.site}/${section}/page-${page}${utm}`,
      referrer: v.referrer,
      title: `${section} ${page} | ${v.site}`,
      screen: v.screen,
      consent: { analytics: consented },
      vid: v.vid,
      sid: v.sid,
      id,
    })
    v.referrer = ''
    return {
      id,
      body,
      consented,
      headers: {
        // sendBeacon sends text/plain; fetch() from the beacon sends JSON.
        'content-type': r() < 0.7 ? 'text/plain;charset=UTF-8' : 'application/json',
        origin: `https://${v.site}`,
        'user-agent': v.ua,
        'x-forwarded-for': v.ip,
      },
    }
  }
}

/** n registered sites: the first few get most of the traffic. */
export function benchSites(n = 20): string[] {
  return Array.from({ length: n }, (_, i) => `site${i + 1}.example.com`)
}
