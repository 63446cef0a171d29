// Issue 18: two collectors, a dashboard and a jobs process on one ClickHouse (the HTTP
// harness), under a bounded load, through a database outage, a collector killed with
// SIGKILL and started again on its journal, and the erasure of a visitor who keeps
// browsing. Afterwards every figure is compared with a recount of what was acknowledged.
//
// The collectors are real server processes (ROLE=collector, as `npm start` runs them),
// so that one can be killed; the dashboard and the jobs process run in this process.
// The client does what the beacon and a load balancer do: a 503 is tried again at the
// same collector with the same event id; a request that gets no answer (the collector
// is down) is sent once more, same id, to the other collector. A request the killed
// collector had journaled but not answered is then stored twice: issue 18's defect 5,
// counted here (`ambiguous`, `doubled`) and stated in docs/clickhouse-server.md.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../lib/logger.ts'
import { rebuildDueDays } from '../../aggregates/rebuild.ts'
import { resumeErasures } from '../../privacy/erasure.ts'
import { REFRESH_MS } from '../../privacy/optouts.ts'
import { ADMIN, type BeaconBody, pageview, rid } from '../helpers/app.ts'
import { drained, postEvent, type Spawned, useSplitRoles } from '../helpers/split-roles.ts'

/** The load: RATE events a second for SECONDS, from WORKERS concurrent clients, over VISITORS visitors. */
const RATE = 100
const SECONDS = 24
const WORKERS = 12
const VISITORS = 240
const TOTAL = RATE * SECONDS
/** Every event the load generator sends is sent by then, or not at all (counted as unsent). */
const HARD_STOP_MS = SECONDS * 1000 + 15_000

const COLLECTOR = { FLUSH_INTERVAL_MS: '200', COLLECT_LIMIT_PER_MINUTE: '1000000' }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const roles = useSplitRoles()

interface Sent {
  body: BeaconBody
  /** The collector that answered 202, if one did. */
  acked: 0 | 1 | null
  /** A try that got no answer although the connection was made: the collector may have journaled it. */
  ambiguous: boolean
}

/** Journal segments (`<ms>-…jsonl`) created before `ms` still on disk under a collector's data directory. */
const segmentsBefore = (dir: string, ms: number) =>
  readdirSync(join(dir, 'journal')).filter((f) => /^\d{13}-.*\.jsonl$/.test(f) && Number(f.slice(0, 13)) < ms).length

describe('four roles on one ClickHouse under load', () => {
  it('stores every acknowledged event, twice only where the killed collector may have journaled it before it died (defect 5), through an outage, a SIGKILL and an erasure, and the aggregates and /api/ingest add up to the recount', {
    timeout: 120_000,
  }, async () => {
    const began = Date.now()
    const [a, b0, dashboard, jobs] = await Promise.all([
      roles.spawn('collector', COLLECTOR),
      roles.spawn('collector', COLLECTOR),
      roles.start('dashboard'),
      roles.start('jobs'),
    ])
    const collectors: Spawned[] = [a, b0]
    const db = dashboard.deps.db
    const admin = request.agent(dashboard.app)
    admin.set('X-Spoor-Request', '1')
    await admin.post('/api/login').send(ADMIN).expect(200)

    // The plan: VISITORS visitors, each on one collector (routed by client address), each a
    // visit of page views with a custom event every fourth; sent round-robin, so that every
    // visitor's events are spread over the whole load.
    const visitors = Array.from({ length: VISITORS }, (_, v) => ({ vid: rid(), sid: rid(), home: (v % 2) as 0 | 1 }))
    const sent: Sent[] = Array.from({ length: TOTAL }, (_, k) => {
      const v = visitors[k % VISITORS]!
      const j = Math.floor(k / VISITORS)
      const body =
        j % 4 === 3
          ? pageview({ vid: v.vid, sid: v.sid, type: 'event', name: 'signup', url: `https://example.com/p/${j - 1}`, props: { plan: 'pro' } })
          : pageview({ vid: v.vid, sid: v.sid, url: `https://example.com/p/${j}` })
      return { body, acked: null, ambiguous: false }
    })
    const erased = visitors[0]!
    const tries = { refused: 0, noAnswer: 0, retried503: 0 }
    const unexpected: string[] = []

    const deliver = async (s: Sent, home: 0 | 1) => {
      let to = home
      for (let attempt = 0; attempt < 10; attempt++) {
        let status: number
        try {
          status = (await postEvent(collectors[to]!.url, s.body)).status
        } catch (err) {
          // No answer. Refused: the collector never saw it. Anything else (the connection
          // closed under the request): it may be in the killed collector's journal.
          const code = (err as { cause?: { code?: string } }).cause?.code
          if (code === 'ECONNREFUSED') tries.refused++
          else {
            tries.noAnswer++
            s.ambiguous = true
          }
          to = to === 0 ? 1 : 0
          continue
        }
        if (status === 202) {
          s.acked = to
          return
        }
        if (status === 503) {
          tries.retried503++
          await sleep(200)
          continue
        }
        unexpected.push(`${status} from collector ${to}`)
        return
      }
      unexpected.push(`no collector took event ${s.body.id} in 10 tries`)
    }

    // The visitor to be erased is stored first (an id never stored is not recorded), then
    // asked to be erased through the dashboard: on a server, recorded, opted out, pending.
    const first = { body: pageview({ vid: erased.vid, sid: erased.sid, url: 'https://example.com/first' }), acked: null, ambiguous: false } as Sent
    await deliver(first, 0)
    await drained(a)
    const requestedAt = Date.now()
    const erasure = await admin.post('/api/admin/erase').send({ vid: erased.vid }).expect(202)
    expect(erasure.body.status).toBe('pending')

    // The load: bounded in count (TOTAL) and time (HARD_STOP_MS), paced at RATE.
    const t0 = Date.now()
    let next = 0
    let unsent = 0
    const load = Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let k = next++; k < TOTAL; k = next++) {
          const at = t0 + (k * 1000) / RATE
          if (Date.now() > t0 + HARD_STOP_MS) {
            unsent++
            continue
          }
          if (at > Date.now()) await sleep(at - Date.now())
          const s = sent[k]!
          await deliver(s, visitors[k % VISITORS]!.home)
        }
      }),
    )

    // Meanwhile: the database goes away for 3 s; then collector B is killed and started
    // again on its data directory (its clients fail over to A until it is back); then
    // the jobs process carries the erasure out while both collectors write.
    const figures = { outageMs: 0, bDownMs: 0, erasureAt: 0, erasureMs: 0, erasedEvents: 0 }
    const erasing = { from: 0, to: 0 }
    const outage = { from: 0, to: 0 }
    const scenario = (async () => {
      await sleep(3000)
      outage.from = Date.now()
      figures.outageMs = await roles.outage(3000)
      outage.to = Date.now()
      await sleep(1500)
      const killedAt = Date.now()
      b0.proc.kill('SIGKILL')
      await new Promise((r) => b0.proc.once('exit', r))
      collectors[1] = await roles.spawn('collector', COLLECTOR, b0.dir)
      figures.bDownMs = Date.now() - killedAt
      // The erasure job waits until every collector knows of the opt-out (2 minutes in
      // production: server/jobs.ts). Here: two refresh intervals (one of A's refreshes may
      // have fallen into the outage) and no journal segment left from before then.
      const known = requestedAt + 2 * REFRESH_MS + 1000
      await sleep(known - Date.now())
      while (segmentsBefore(a.dir, known) + segmentsBefore(b0.dir, known) > 0) await sleep(100)
      erasing.from = Date.now()
      const log = createLogger('silent')
      expect(await resumeErasures(jobs.deps.db, log, { rawRetentionDays: 180, flush: () => jobs.deps.writer.flush() }, 10)).toBe(1)
      erasing.to = Date.now()
      figures.erasureAt = erasing.from - t0
      figures.erasureMs = erasing.to - erasing.from
    })()
    // And someone looks at the dashboard throughout: today's summary and /api/ingest, twice a second.
    const today = new Date(t0).toISOString().slice(0, 10)
    const looks: Array<{ at: number; end: number; status: number }> = []
    let loading = true
    const looking = (async () => {
      while (loading) {
        for (const path of [`/api/stats/summary?site=example.com&from=${today}&to=${today}`, '/api/ingest']) {
          const at = Date.now()
          const status = (await admin.get(path)).status
          looks.push({ at, end: Date.now(), status })
        }
        await sleep(500)
      }
    })()
    await Promise.all([load, scenario])
    loading = false
    await looking
    const loadMs = Date.now() - t0

    // Both collectors stopped as an operator stops them (SIGTERM): everything acknowledged written.
    expect(await collectors[0]!.stop()).toBe(0)
    expect(await collectors[1]!.stop()).toBe(0)
    expect(segmentsBefore(a.dir, Date.now()) + segmentsBefore(b0.dir, Date.now())).toBe(0)

    // The recount: what was acknowledged, less the erased visitor's.
    const all = [first, ...sent]
    const kept = all.filter((s) => s.acked !== null && s.body.vid !== erased.vid)
    const recount = {
      pageviews: kept.filter((s) => s.body.type === 'pageview').length,
      events: kept.filter((s) => s.body.type === 'event').length,
      visitors: new Set(kept.map((s) => s.body.vid)).size,
      visits: new Set(kept.filter((s) => s.body.type === 'pageview').map((s) => s.body.sid)).size,
    }
    const stored = new Map(
      (await db.query<{ id: string; n: number }>("SELECT event_id AS id, count() AS n FROM events WHERE site = 'example.com' GROUP BY id")).map((r) => [
        r.id,
        Number(r.n),
      ]),
    )
    const lost = kept.filter((s) => !stored.has(s.body.id))
    const doubled = kept.filter((s) => (stored.get(s.body.id) ?? 0) > 1)
    const ambiguous = all.filter((s) => s.ambiguous)
    const ackedErased = all.filter((s) => s.acked !== null && s.body.vid === erased.vid).length
    // `racing`: events received from 2 s before the erasure began until it ended, the ones
    // the collectors may have inserted while it rebuilt the day (a flush is 200 ms apart,
    // a retry after an outage seconds).
    const [raw] = await db.query<{ pv: number; ev: number; visitors: number; visits: number; erased: number; racing: number }>(
      `SELECT countIf(type = 'pageview') AS pv, countIf(type = 'event') AS ev, uniqExact(vid) AS visitors,
         uniqExactIf(sid, type = 'pageview') AS visits, countIf(vid = {vid:String}) AS erased,
         countIf(ts BETWEEN fromUnixTimestamp64Milli({from:Int64}) AND fromUnixTimestamp64Milli({to:Int64})) AS racing
         FROM events WHERE site = 'example.com'`,
      { vid: erased.vid, from: erasing.from - 2000, to: erasing.to },
    )
    const [stats] = await db.query<{ pv: number; ev: number; visitors: number }>(
      "SELECT sum(pageviews) AS pv, sum(events) AS ev, uniqCombinedMerge(15)(visitors) AS visitors FROM daily_stats WHERE site = 'example.com'",
    )
    const breakdown = Object.fromEntries(
      (
        await db.query<{ kind: string; pv: number; ev: number }>(
          "SELECT kind, sum(pageviews) AS pv, sum(events) AS ev FROM daily_breakdown WHERE site = 'example.com' GROUP BY kind",
        )
      ).map((r) => [r.kind, { pv: Number(r.pv), ev: Number(r.ev) }]),
    )
    const [sessions] = await db.query<{ pv: number; visits: number; erased: number }>(
      "SELECT sum(pageviews) AS pv, uniqExact(sid) AS visits, countIf(sid = {sid:String}) AS erased FROM sessions WHERE site = 'example.com'",
      { sid: erased.sid },
    )
    const ingest = (await admin.get('/api/ingest').expect(200)).body as {
      stored: number
      pending: number
      dropped: Record<string, number>
      rejected: Record<string, number>
    }
    const [done] = await db.query<{ status: string; result: string }>('SELECT status, result FROM erasure_requests FINAL WHERE id = {id:String}', {
      id: erasure.body.id,
    })
    figures.erasedEvents = done?.result ? (JSON.parse(done.result) as { events: number }).events : -1
    const extra = { pageviews: doubled.filter((s) => s.body.type === 'pageview').length, events: doubled.filter((s) => s.body.type === 'event').length }
    const report = {
      sent: all.length,
      unsent,
      acknowledged: all.filter((s) => s.acked !== null).length,
      byCollector: [all.filter((s) => s.acked === 0).length, all.filter((s) => s.acked === 1).length],
      stored: [...stored.values()].reduce((x, y) => x + y, 0),
      lost: lost.length,
      ambiguous: ambiguous.length,
      doubled: doubled.length,
      ...tries,
      ackedErased,
      ...figures,
      loadMs,
      racing: Number(raw?.racing),
      dashboard: { looks: looks.length, failed: looks.filter((l) => l.status !== 200).map((l) => `${l.status} at ${l.at - t0} ms`) },
      excess: {
        stats: { pv: Number(stats?.pv) - Number(raw?.pv), ev: Number(stats?.ev) - Number(raw?.ev) },
        breakdown: { page: (breakdown.page?.pv ?? 0) - Number(raw?.pv), event: (breakdown.event?.ev ?? 0) - Number(raw?.ev) },
      },
      runtimeMs: Date.now() - began,
    }
    console.log(`four roles under load: ${JSON.stringify(report)}`)

    // Nothing went wrong that a client would see but 503s and the killed collector.
    expect(unexpected).toEqual([])
    expect(unsent).toBe(0)
    expect(all.every((s) => s.acked !== null)).toBe(true)
    // Every acknowledged event is stored; twice only where the killed collector may have
    // journaled it before it died and the client sent it to the other one (defect 5).
    expect(lost).toEqual([])
    expect(doubled.every((s) => s.ambiguous)).toBe(true)
    expect([...stored.values()].every((n) => n <= 2)).toBe(true)
    // Nothing stored that no one asked for: every stored id was sent.
    const ids = new Set(all.map((s) => s.body.id))
    expect([...stored.keys()].every((id) => ids.has(id))).toBe(true)

    // The erased visitor is gone, and its events add up: erased, or dropped once every
    // collector knew of the opt-out.
    expect(done?.status).toBe('done')
    expect(Number(raw?.erased)).toBe(0)
    expect(Number(sessions?.erased)).toBe(0)
    const [left] = await db.query<{ n: number }>(
      'SELECT (SELECT count() FROM visit_ips WHERE vid = {vid:String}) + (SELECT count() FROM visits WHERE vid = {vid:String}) AS n',
      { vid: erased.vid },
    )
    expect(Number(left?.n)).toBe(0)
    expect(figures.erasedEvents + ingest.dropped.opted_out!).toBe(ackedErased)

    // The raw events are the recount, plus the doubled ones.
    expect(Number(raw?.pv)).toBe(recount.pageviews + extra.pageviews)
    expect(Number(raw?.ev)).toBe(recount.events + extra.events)
    expect(Number(raw?.visitors)).toBe(recount.visitors)
    expect(Number(raw?.visits)).toBe(recount.visits)
    // The views' sums equal the raw events: sessions (the erasure deletes the visitor's
    // rows, it does not rebuild the day) exactly.
    expect(Number(sessions?.pv)).toBe(Number(raw?.pv))
    expect(Number(sessions?.visits)).toBe(recount.visits)
    // The erased visitor is still in today's visitor sketch until the day is rebuilt (below).
    expect(Number(stats?.visitors)).toBe(recount.visitors + 1)
    // daily_stats and daily_breakdown: a rebuild of today while both collectors insert
    // counted an insert between its delete and its select twice (defect 4: 10-30 page views
    // in 9 of 11 runs). So the erasure leaves today to be rebuilt once it is over
    // (aggregates/rebuild.ts): until then the day's totals still count exactly the
    // visitor's erased events, and nothing twice.
    expect(JSON.parse(done!.result)).toMatchObject({ days_rebuilt: 0, days_pending: 1 })
    const excess = (pv: number, ev: number) => pv - Number(raw?.pv) + (ev - Number(raw?.ev))
    expect(excess(Number(stats?.pv), Number(stats?.ev))).toBe(figures.erasedEvents)
    expect(excess(breakdown.browser?.pv ?? 0, breakdown.browser?.ev ?? 0)).toBe(figures.erasedEvents)
    // And once the day is over, the erasure job rebuilds it to the raw events exactly.
    expect(await rebuildDueDays(db, { rawRetentionDays: 180, now: Date.now() + 86_400_000 })).toBe(1)
    const [rebuilt] = await db.query<{ pv: number; ev: number; bpv: number; bev: number; page: number; visitors: number }>(
      `SELECT (SELECT uniqCombinedMerge(15)(visitors) FROM daily_stats WHERE site = 'example.com') AS visitors,
              (SELECT sum(pageviews) FROM daily_stats WHERE site = 'example.com') AS pv, (SELECT sum(events) FROM daily_stats WHERE site = 'example.com') AS ev,
              (SELECT sum(pageviews) FROM daily_breakdown WHERE site = 'example.com' AND kind = 'browser') AS bpv,
              (SELECT sum(events) FROM daily_breakdown WHERE site = 'example.com' AND kind = 'browser') AS bev,
              (SELECT sum(pageviews) FROM daily_breakdown WHERE site = 'example.com' AND kind = 'page') AS page`,
    )
    expect([rebuilt?.visitors, rebuilt?.pv, rebuilt?.ev, rebuilt?.bpv, rebuilt?.bev, rebuilt?.page].map(Number)).toEqual([
      recount.visitors,
      Number(raw?.pv),
      Number(raw?.ev),
      Number(raw?.pv),
      Number(raw?.ev),
      Number(raw?.pv),
    ])

    // The dashboard answered every look, but while the database was down: 503 then, with
    // Retry-After (before, a 500 logged as a bug). Up to 3 s after it came back, too: on
    // 2 busy cores one look 1.2 s after met a connection the outage had broken. A look
    // still waiting when the outage began is inside it (seen: one started 15 ms before).
    const outside = looks.filter((l) => l.end < outage.from || l.at > outage.to + 3000)
    expect(outside.filter((l) => l.status !== 200)).toEqual([])
    expect(looks.filter((l) => l.status !== 200 && l.status !== 503)).toEqual([])
    expect(looks.filter((l) => l.status === 503).length).toBeGreaterThan(0)
    const summary = (await admin.get(`/api/stats/summary?site=example.com&from=${today}&to=${today}`).expect(200)).body as {
      visitors: number
      visits: number
      pageviews: number
    }
    expect(summary).toMatchObject({ visitors: recount.visitors, visits: recount.visits, pageviews: Number(raw?.pv) })

    // /api/ingest on the dashboard adds the collectors' figures up: every acknowledged
    // event (the doubled twice), but the erased visitor's.
    expect(ingest.stored).toBe(kept.length + doubled.length)
    expect(ingest.pending).toBe(0)
    expect(Object.values(ingest.rejected).every((n) => n === 0)).toBe(true)
    expect(ingest.dropped.duplicate).toBe(0)
  })
})
