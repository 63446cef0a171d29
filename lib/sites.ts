// Registered sites, cached in memory: the collector checks every event against
// this set, so it must not cost a query. Other processes' changes arrive by refresh().
import type { Db } from './db.ts'
import { bareHost, normaliseDomain } from './domain.ts'
import { HttpError } from './errors.ts'
import { SyncedSet } from './synced-set.ts'
import { isTimeZone } from './timezone.ts'

/** Every registered site with its time zone ('UTC' unless set). */
export async function siteZones(db: Db): Promise<Array<{ domain: string; timezone: string }>> {
  const rows = await db.query<{ domain: string; timezone: string }>('SELECT domain, timezone FROM sites FINAL WHERE deleted = 0')
  return rows.map((r) => ({ domain: r.domain, timezone: r.timezone || 'UTC' }))
}

export class Sites {
  private readonly domains: SyncedSet
  // Each site's IANA time zone (sql/016); read with the domains, so another process's change arrives by refresh().
  private zones = new Map<string, string>()
  constructor(private readonly db: Db) {
    this.domains = new SyncedSet(async () => {
      const rows = await siteZones(db)
      this.zones = new Map(rows.map((r) => [r.domain, r.timezone]))
      return rows.map((r) => r.domain)
    })
  }

  /** The site's time zone ('UTC' unless set). */
  timezone(domain: string): string {
    return this.zones.get(domain) ?? 'UTC'
  }

  timezones(): Record<string, string> {
    return Object.fromEntries(this.list().map((d) => [d, this.timezone(d)]))
  }

  /** The registered site named by `input` (any case, with www. or a scheme), or a 404 naming it (`status` 400: named in a request body). */
  registered(input: string, status: 400 | 404 = 404): string {
    const site = normaliseDomain(input)
    if (!site || !this.domains.has(site)) throw new HttpError(status, `site "${input.slice(0, 100)}" is not registered`, 'site')
    return site
  }

  /** Sets the site's time zone: an IANA name that both Node and ClickHouse know, else a 400. */
  async setTimezone(domain: string, timezone: string): Promise<void> {
    const wrong = `"${timezone.slice(0, 64)}" is not an IANA time zone (such as Europe/Amsterdam or UTC)`
    if (!isTimeZone(timezone)) throw new HttpError(400, wrong, 'timezone')
    // ClickHouse has its own copy of the tz database: a zone it lacks would fail every query.
    try {
      await this.db.query('SELECT toTimeZone(now(), {tz:String}) AS t', { tz: timezone })
    } catch {
      throw new HttpError(400, `ClickHouse does not know the time zone "${timezone.slice(0, 64)}"`, 'timezone')
    }
    await this.db.insert('sites', [{ domain, deleted: 0, timezone }])
    this.zones.set(domain, timezone)
  }

  refresh(): Promise<void> {
    return this.domains.refresh()
  }

  has(domain: string): boolean {
    return this.domains.has(domain)
  }

  list(): string[] {
    return this.domains.values().sort()
  }

  /** The registered site that `host` belongs to (itself or a parent domain), if any. */
  siteForHost(host: string): string | null {
    let h = bareHost(host)
    for (;;) {
      if (this.domains.has(h)) return h
      const dot = h.indexOf('.')
      if (dot < 0) return null
      h = h.slice(dot + 1)
    }
  }

  async remove(domain: string): Promise<void> {
    await this.db.insert('sites', [{ domain, deleted: 1, timezone: this.timezone(domain) }])
    this.domains.delete(domain)
  }

  async add(input: string): Promise<string> {
    const domain = normaliseDomain(input)
    if (!domain) throw new HttpError(400, `"${input.slice(0, 100)}" is not a domain name`, 'domain')
    if (!this.domains.has(domain)) {
      // A newer row than any earlier removal of the same domain.
      await this.db.insert('sites', [{ domain, deleted: 0, timezone: this.timezone(domain) }])
      this.domains.add(domain)
    }
    return domain
  }
}
