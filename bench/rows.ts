// Stored rows made from the bench traffic with the collector's own parsers, so that the
// storage part writes what the collector would write.
import { parseAgent, parsePageUrl, referrerSource } from '../collector/parse.ts'
import type { EventRow } from '../collector/writer.ts'
import { Traffic } from './traffic.ts'
import { chTime } from '../lib/db.ts'

export function eventRows(sites: readonly string[], n: number, start = Date.now() - 3_600_000, seed = 3): EventRow[] {
  const traffic = new Traffic(sites, seed)
  const rows: EventRow[] = []
  const step = 3_600_000 / n
  while (rows.length < n) {
    const req = traffic.next()
    if (!req.consented) continue
    const b = JSON.parse(req.body) as { site: string; url: string; referrer: string; title: string; screen: number; vid: string; sid: string; id: string }
    const page = parsePageUrl(new URL(b.url), [])
    rows.push({
      event_id: b.id,
      site: b.site,
      ts: chTime(new Date(start + rows.length * step)),
      type: 'pageview',
      name: '',
      vid: b.vid,
      sid: b.sid,
      ...page,
      title: b.title,
      referrer_source: referrerSource(b.referrer, b.site, page.hostname),
      ...parseAgent(req.headers['user-agent']!, b.screen),
      screen: b.screen,
      country: 'NL',
      city: 'Amsterdam',
      props: {},
    })
  }
  return rows
}
