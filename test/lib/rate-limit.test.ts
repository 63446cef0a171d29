// Limits per client network (/24 or /48): the collector and the login answer a clear
// 429 with Retry-After, and a neighbouring address does not step around the limit.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, makeApp, pageview, send, type TestApp } from '../helpers/app.ts'
import { NetworkLimit } from '../../lib/rate-limit.ts'

let t: TestApp
beforeAll(async () => {
  // The test client is the proxy (loopback): X-Forwarded-For says which network a request is from.
  t = await makeApp({ COLLECT_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'loopback' })
})
afterAll(async () => {
  await t.close()
})

describe('rate limits', () => {
  it('collector: the sixth event a minute from one /24 gets 429 naming the limit, another network still gets 202', async () => {
    for (let i = 1; i <= 5; i++) await send(t.app, pageview(), { 'X-Forwarded-For': `203.0.113.${i}` }).expect(202)
    const limited = pageview()
    const res = await send(t.app, limited, { 'X-Forwarded-For': '203.0.113.200' }).expect(429)
    expect(res.body.error).toMatch(/too many events from your network \(at most 5 a minute\); try again in \d+ s/)
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60)
    await send(t.app, pageview(), { 'X-Forwarded-For': '198.51.100.1' }).expect(202)
    // IPv6: the /48 is the network.
    for (let i = 1; i <= 5; i++) await send(t.app, pageview(), { 'X-Forwarded-For': `2001:db8:1:${i}::1` }).expect(202)
    await send(t.app, pageview(), { 'X-Forwarded-For': '2001:db8:1:ffff::9' }).expect(429)
    expect(await t.count('events', 'event_id = {id:String}', { id: limited.id })).toBe(0)
  })

  it('login: after 10 attempts a minute from one network the eleventh is 429, even with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      await request(t.app)
        .post('/api/login')
        .set('X-Forwarded-For', `192.0.2.${i + 1}`)
        .send({ email: ADMIN.email, password: `wrong password ${i}` })
        .expect(401)
    }
    const res = await request(t.app).post('/api/login').set('X-Forwarded-For', '192.0.2.77').send(ADMIN).expect(429)
    expect(res.body.error).toMatch(/too many login attempts from your network \(at most 10 a minute\); try again in \d+ s/)
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    expect(res.headers['set-cookie']).toBeUndefined()
    // Someone else, elsewhere, logs in.
    await request(t.app).post('/api/login').set('X-Forwarded-For', '198.51.100.7').send(ADMIN).expect(200)
  })

  it('login: successful logins do not count, so a whole office behind one address can log in', async () => {
    for (let i = 0; i < 25; i++)
      await request(t.app)
        .post('/api/login')
        .set('X-Forwarded-For', `203.0.113.${i + 1}`)
        .send(ADMIN)
        .expect(200)
    for (let i = 0; i < 10; i++) {
      await request(t.app)
        .post('/api/login')
        .set('X-Forwarded-For', '203.0.113.200')
        .send({ email: ADMIN.email, password: `wrong ${i}` })
        .expect(401)
    }
    await request(t.app).post('/api/login').set('X-Forwarded-For', '203.0.113.201').send(ADMIN).expect(429)
  })

  it('the per-network count survives 60,000 other networks passing by, and starts again after its minute', () => {
    const limit = new NetworkLimit(3, 'events')
    const now = 1_000_000
    for (let i = 0; i < 3; i++) limit.take('203.0.113.9', now)
    // More networks than one generation (50,000) holds: the busy one is carried over.
    for (let i = 0; i < 60_000; i++) limit.take(`${11 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.1`, now)
    expect(() => limit.take('203.0.113.10', now + 1000)).toThrow(/too many events from your network \(at most 3 a minute\); try again in 59 s/)
    // A v4 /24 and a v6 /48 are different networks, and an address that is none is one network of its own.
    limit.take('::cb00:7109', now + 1000)
    for (let i = 0; i < 3; i++) limit.take('not an address', now)
    expect(() => limit.take('', now)).toThrow(/too many/)
    expect(() => limit.take('203.0.113.11', now + 60_000)).not.toThrow()
  })
})
