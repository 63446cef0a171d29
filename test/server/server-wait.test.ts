// A process started while its ClickHouse server is down (containers started together, or
// a collector restarted during an outage) waits for the server instead of exiting.
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Child } from '../../bench/proc.ts'
import { pageview } from '../helpers/app.ts'
import { drained, postEvent, useSplitRoles } from '../helpers/split-roles.ts'

const roles = useSplitRoles()

describe('starting before the ClickHouse server', () => {
  it('a collector started while the server is down comes up once it is back, and stores what it then takes', { timeout: 60_000 }, async () => {
    let starting: Promise<Child> | undefined
    const { port } = roles.ch
    let attempts = 0
    // Down from before the collector starts (it exited within a second before) until it
    // has tried twice: a listener on the server's port counts its attempts and hangs up
    // on each, as a server going away does. A collector that gave up tries once.
    await roles.outage(async () => {
      const refuser = createServer((socket) => {
        attempts++
        socket.destroy()
      })
      await new Promise<void>((resolve, reject) => refuser.once('error', reject).listen(port, '127.0.0.1', resolve))
      try {
        starting = roles.spawn('collector')
        starting.catch(() => undefined)
        await expect.poll(() => attempts, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(2)
      } finally {
        await new Promise((r) => refuser.close(r))
      }
    })
    const collector = await starting!
    const ev = pageview({ url: 'https://example.com/after-the-wait' })
    expect((await postEvent(collector.url, ev)).status).toBe(202)
    await drained(collector)
    const dashboard = await roles.start('dashboard')
    const [row] = await dashboard.deps.db.query<{ n: number }>('SELECT count() AS n FROM events WHERE event_id = {id:String}', { id: ev.id })
    expect(Number(row?.n)).toBe(1)
  })
})
