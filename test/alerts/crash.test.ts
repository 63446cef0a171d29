// Deliveries survive a crash: the real server process is killed (SIGKILL) while a
// webhook attempt is in flight, started again on the same data, and the delivery goes
// out again with the same id and signature until the receiver takes it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Child, sessionCookie, startChild } from '../../bench/proc.ts'
import type { Delivery } from '../../lib/api-types.ts'
import { ADMIN } from '../helpers/app.ts'
import { webhookReceiver } from '../helpers/receivers.ts'

const SECRET = 'a webhook secret of some length'
const dir = mkdtempSync(join(tmpdir(), 'spoor-alerts-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const start = () =>
  startChild('server/start.ts', {
    DATA_DIR: dir,
    SITES: 'example.com',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    DEMO: 'false',
    LOG_LEVEL: 'error',
    // Retries after 1 s, 3 s, ...: the test waits seconds, not minutes.
    DELIVERY_FIRST_RETRY_SECONDS: '1',
  })

async function api(child: Child, cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(child.url + path, {
    method,
    headers: { cookie, 'content-type': 'application/json', 'x-spoor-request': '1' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('deliveries across a crash', () => {
  it('a webhook in flight when Spoor is killed is sent again after the restart, same id and signature, until a 2xx', { timeout: 120_000 }, async () => {
    const hook = await webhookReceiver(SECRET)
    let child = await start()
    try {
      let cookie = await sessionCookie(child.url, ADMIN.email, ADMIN.password)
      const created = await api(child, cookie, 'POST', '/api/triggers', {
        name: 'Pricing readers',
        site: 'example.com',
        when: { pages: ['/pricing*'] },
        actions: [{ type: 'webhook', url: hook.url, secret: SECRET }],
      })
      expect(created.status).toBe(201)
      // The first attempt gets no answer: Spoor dies while it waits.
      hook.answers.push('hang', 500)
      const queued = await api(child, cookie, 'POST', `/api/triggers/${created.body.id}/test`)
      expect(queued.status).toBe(202)
      const [id] = queued.body.queued as string[]
      await hook.waitFor(1)
      child.proc.kill('SIGKILL')
      await new Promise((resolve) => child.proc.once('exit', resolve))

      child = await start()
      cookie = await sessionCookie(child.url, ADMIN.email, ADMIN.password)
      // After the restart: the repeated attempt (answered 500), then the retry a second later (200).
      await hook.waitFor(3, 30_000)
      const ids = hook.received.map((r) => r.headers['x-spoor-delivery'])
      expect(ids).toEqual([id, id, id])
      expect(new Set(hook.received.map((r) => r.raw)).size).toBe(1)
      expect(hook.received.every((r) => r.signed)).toBe(true)
      let delivery: Delivery | undefined
      for (let i = 0; i < 50 && delivery?.status !== 'delivered'; i++) {
        delivery = ((await api(child, cookie, 'GET', '/api/deliveries')).body.results as Delivery[]).find((d) => d.id === id)
        if (delivery?.status !== 'delivered') await new Promise((r) => setTimeout(r, 100))
      }
      // The killed attempt left no record; the two after the restart did.
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, last_code: 200 })
    } finally {
      await child.stop()
      await hook.close()
    }
  })
})
