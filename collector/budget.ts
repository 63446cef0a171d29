// What the internet may cost the disk. Review finding: 3,000 events of the largest size
// from one network grew the store by 150 MB in 11 s before the per-network limit said
// 429; at that rate a /24 writes about 200 GB a day, and many networks more.
//
// - A daily budget of stored events per site and for all sites together. The counts
//   come from ClickHouse (daily_stats, so every collector process sees the same day), plus
//   what this process accepted since it last read them (every 10 s): with four processes
//   the budget can be passed by at most what four take in 10 s.
// - A floor of free disk space (MIN_FREE_DISK_MB) under the data and the journal: below it
//   nothing is accepted (507) until an operator makes room, so that ClickHouse never
//   meets a full disk in the middle of a merge.
import { statfsSync } from 'node:fs'
import type { Config } from '../lib/config.ts'
import type { Db } from '../lib/db.ts'
import type { Health } from '../lib/api-types.ts'

export type BudgetConfig = Pick<Config, 'siteEventsPerDay' | 'eventsPerDay' | 'minFreeDiskMb' | 'journalDir'>

export class IngestBudget {
  private stored = new Map<string, number>()
  private storedTotal = 0
  private local = new Map<string, number>()
  private localTotal = 0
  /** Free space in MB on the emptier of the journal's disk and ClickHouse's disks; Infinity until first read. */
  freeMb = Number.POSITIVE_INFINITY

  constructor(
    private readonly db: Db,
    private readonly config: BudgetConfig,
  ) {}

  /** Reads today's counts and the free space. Every 10 s in every collecting process. */
  async refresh(): Promise<void> {
    const rows = await this.db.query<{ site: string; n: string }>(
      'SELECT site, toString(sum(pageviews) + sum(events)) AS n FROM daily_stats WHERE day = today() GROUP BY site',
    )
    // The disks that hold Spoor's tables (a server may have others, full or not).
    const disks = await this.db.query<{ free: string }>(
      "SELECT toString(min(free_space)) AS free FROM system.disks WHERE name IN (SELECT disk_name FROM system.parts WHERE database = currentDatabase() AND active) OR name = 'default'",
    )
    const stored = new Map(rows.map((r) => [r.site, Number(r.n)]))
    this.stored = stored
    this.storedTotal = [...stored.values()].reduce((a, b) => a + b, 0)
    this.local = new Map()
    this.localTotal = 0
    const journal = statfsSync(this.config.journalDir)
    const journalFree = (journal.bavail * journal.bsize) / 1048576
    const dbFree = Number(disks[0]?.free ?? Number.POSITIVE_INFINITY) / 1048576
    this.freeMb = Math.min(journalFree, Number.isFinite(dbFree) ? dbFree : journalFree)
  }

  /** Whether the disk is below its floor. */
  get diskLow(): boolean {
    return this.freeMb < this.config.minFreeDiskMb
  }

  /** Takes one event of `site` out of today's budget, or says that none is left. */
  take(site: string): 'ok' | 'site' | 'all' {
    if (this.storedTotal + this.localTotal >= this.config.eventsPerDay) return 'all'
    const used = (this.stored.get(site) ?? 0) + (this.local.get(site) ?? 0)
    if (used >= this.config.siteEventsPerDay) return 'site'
    this.local.set(site, (this.local.get(site) ?? 0) + 1)
    this.localTotal++
    return 'ok'
  }

  /** Its part of GET /health. */
  snapshot(): Pick<Health, 'free_disk_mb' | 'min_free_disk_mb' | 'events_today' | 'events_per_day'> {
    return {
      free_disk_mb: Math.floor(this.freeMb),
      min_free_disk_mb: this.config.minFreeDiskMb,
      events_today: this.storedTotal + this.localTotal,
      events_per_day: this.config.eventsPerDay,
    }
  }
}
