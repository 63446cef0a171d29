// A process started while its ClickHouse server is down (containers started together, or
// a collector restarted during an outage) waits for the server instead of exiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Child } from '../../bench/proc.ts'
import { pageview } from '../helpers/app.ts'
import { drained, postEvent, type Processes, splitRoles } from '../helpers/split-roles.ts'

let roles: Processes

beforeAll(async () => {
  roles = await splitRoles()
})
afterAll(async () => {
  await roles?.close()
})

describe('starting before the ClickHouse server', () => {
  it('a collector started while the server is down comes up once it is back, and stores what it then takes', { timeout: 60_000 }, async () => {
    let starting: Promise<Child> | undefined
    // Down for 4 s from before the collector starts (it exited within a second before).
    await roles.outage(async () => {
      starting = roles.spawn('collector')
      starting.catch(() => undefined)
      await new Promise((r) => setTimeout(r, 4000))
    })
    const collector = await starting!
    expect(collector.proc.exitCode).toBeNull()
    const ev = pageview({ url: 'https://example.com/after-the-wait' })
    expect((await postEvent(collector.url, ev)).status).toBe(202)
    await drained(collector)
    const dashboard = await roles.start('dashboard')
    const [row] = await dashboard.deps.db.query<{ n: number }>('SELECT count() AS n FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(Number(row?.n)).toBe(1)
  })
})
