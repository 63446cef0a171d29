// What a process serves depends on its ROLE; X-Forwarded-For depends on TRUST_PROXY.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { loadConfig } from '../../lib/config.ts'
import { makeApp, pageview, send, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})

// Split roles need a ClickHouse server (config refuses them on chDB); only the config differs here, the app still uses this test's chDB.
const withEnv = (env: Record<string, string>) =>
  createApp({ ...t.deps, config: loadConfig({ SITES: 'example.com', LOG_LEVEL: 'silent', CLICKHOUSE_URL: 'http://127.0.0.1:8123', ...env }) })

describe('roles', () => {
  it('a collector process serves the beacon and the event endpoint but no dashboard API', async () => {
    const app = withEnv({ ROLE: 'collector' })
    await request(app).get('/script.js').expect(200)
    await send(app, pageview()).expect(202)
    await request(app).post('/api/login').send({ email: 'a@example.com', password: 'whatever1' }).expect(404)
  })

  it('a dashboard process serves login and stats but no collector', async () => {
    const app = withEnv({ ROLE: 'dashboard' })
    await request(app).get('/script.js').expect(404)
    await request(app).get('/optout').expect(404)
    await request(app).post('/api/login').send({ email: 'nobody@example.com', password: 'whatever1' }).expect(401)
  })

  it('a jobs process answers /health only', async () => {
    const app = withEnv({ ROLE: 'jobs' })
    expect((await request(app).get('/health').expect(200)).body).toMatchObject({ status: 'ok', role: 'jobs', db: 'ok' })
    await request(app).get('/script.js').expect(404)
  })
})

describe('TRUST_PROXY', () => {
  it('believes X-Forwarded-For from a trusted proxy', async () => {
    const app = withEnv({ TRUST_PROXY: 'loopback' })
    const ev = pageview()
    await send(app, ev, { 'X-Forwarded-For': '198.51.100.7' }).expect(202)
    await t.flush()
    const ips = await t.db.query<{ ip: string }>('SELECT IPv6NumToString(ip) AS ip FROM visit_ips WHERE sid = {sid:String}', { sid: ev.sid })
    expect(ips.map((r) => r.ip)).toEqual(['::ffff:198.51.100.7'])
  })
})

describe('security headers', () => {
  it('sends helmet headers with a content security policy that allows no inline script', async () => {
    const res = await request(t.app).get('/optout').expect(200)
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(res.headers['content-security-policy']).toMatch(/script-src-attr 'none'/)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-powered-by']).toBeUndefined()
  })

  it.each([
    '/demo/constructor',
    '/demo/__proto__',
    '/demo/toString',
    '/api/stats/toString?site=example.com',
    '/api/stats/constructor?site=example.com',
    '/api/stats/__proto__?site=example.com',
  ])('answers the prototype name %s with 404, not 500', async (path) => {
    const agent = await t.login()
    await agent.get(path).expect(404)
  })

  it('answers unknown API routes with JSON, and never a stack trace', async () => {
    const agent = await t.login()
    const res = await agent.get('/api/nothing-here').expect(404)
    expect(res.body).toEqual({ error: 'no such API route: GET /api/nothing-here' })
  })
})
