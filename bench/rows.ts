// Stored rows made from the bench traffic with the collector's own parsers, so that the
// storage and sizing parts write what the collector would write.
import { parseAgent, parsePageUrl, referrerSource } from '../collector/parse.ts'
import { sourceOf } from '../collector/sources.ts'
import type { EventRow } from '../collector/writer.ts'
import { Traffic } from './traffic.ts'
import { chTime } from '../lib/db.ts'

export interface StoredView {
  row: EventRow
  /** The visitor's address (what the collector would take from X-Forwarded-For). */
  ip: string
  /** The visit's first stored page view: the collector writes one IP row per visit and address. */
  firstOfVisit: boolean
}

export interface ViewOptions {
  /** Time of the first row (default: an hour ago). */
  start?: number
  /** The rows are spread evenly over this many milliseconds (default an hour). */
  spanMs?: number
  seed?: number
  /** Visitors browsing at once (Traffic's pool): with fewer, a visit's pages lie closer together in time. */
  activeVisitors?: number
}

/** Consented page views, one at a time, so that millions need not be held in memory. */
export function* storedViews(sites: readonly string[], n: number, o: ViewOptions = {}): Generator<StoredView> {
  const spanMs = o.spanMs ?? 3_600_000
  const start = o.start ?? Date.now() - spanMs
  const traffic = new Traffic(sites, o.seed ?? 3, o.activeVisitors)
  const step = spanMs / n
  const seen = new Set<string>()
  let i = 0
  while (i < n) {
    const req = traffic.next()
    if (!req.consented) continue
    const b = JSON.parse(req.body) as { site: string; url: string; referrer: string; title: string; screen: number; vid: string; sid: string; id: string }
    const url = new URL(b.url)
    const page = parsePageUrl(url, [])
    const referrer = referrerSource(b.referrer, b.site, page.hostname)
    const firstOfVisit = !seen.has(b.sid)
    if (firstOfVisit) seen.add(b.sid)
    yield {
      ip: req.headers['x-forwarded-for']!,
      firstOfVisit,
      row: {
        event_id: b.id,
        site: b.site,
        ts: chTime(new Date(start + i * step)),
        type: 'pageview',
        name: '',
        vid: b.vid,
        sid: b.sid,
        ...page,
        title: b.title,
        referrer_source: referrer,
        source: sourceOf(url, page.utm_source, referrer),
        ...parseAgent(req.headers['user-agent']!, b.screen),
        screen: b.screen,
        country: 'NL',
        city: 'Amsterdam',
        props: {},
      },
    }
    i++
  }
}

export function eventRows(sites: readonly string[], n: number, start = Date.now() - 3_600_000, seed = 3): EventRow[] {
  return Array.from(storedViews(sites, n, { start, seed }), (v) => v.row)
}
