// A stored event row with every column, for tests that write `events` directly (a
// known set of visits at known times); override what the test is about.
import type { EventRow } from '../../collector/writer.ts'

let n = 0

export function eventRow(over: Partial<EventRow> & Pick<EventRow, 'vid' | 'sid' | 'ts'>): EventRow {
  return {
    event_id: `row-${++n}-${Math.random().toString(36).slice(2, 8)}`,
    site: 'example.com',
    type: 'pageview',
    name: '',
    hostname: 'example.com',
    path: '/',
    query: '',
    title: '',
    referrer_source: '',
    source: '',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_content: '',
    utm_term: '',
    browser: 'Chrome',
    browser_version: '131',
    os: 'Windows',
    os_version: '10',
    device: 'desktop',
    screen: 1440,
    country: 'NL',
    city: '',
    props: {},
    ...over,
  }
}
