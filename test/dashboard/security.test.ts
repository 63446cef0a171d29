// Who may call what: every /api route but the public ones needs a session, admin
// routes need an admin, and state changes need the CSRF header from Spoor's own origin.
import request from 'supertest'
import type { Express } from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../auth/users.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
  await t.db.insert('users', [{ email: 'viewer@example.com', password_hash: await hashPassword('viewer password'), role: 'viewer' }])
})
afterAll(async () => {
  await t.close()
})

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

/** Every route of the app, as [method, path], found by walking Express's router stack. */
function routes(app: Express): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route) {
        for (const p of ([] as string[]).concat(l.route.path)) {
          for (const m of Object.keys(l.route.methods)) out.push([m.toUpperCase(), p])
        }
      } else if (l.handle?.stack) walk(l.handle.stack)
    }
  }
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack)
  return out
}

// The visitor's own rights (erase, download) are public like the opt-out: the visitor id is the proof.
const PUBLIC = new Set([
  'POST /api/event',
  'OPTIONS /api/event',
  'POST /api/optout',
  'OPTIONS /api/optout',
  'POST /api/login',
  'POST /api/logout',
  'POST /api/privacy/erase',
  'OPTIONS /api/privacy/erase',
  'GET /api/privacy/export',
  'POST /api/privacy/export',
])

describe('route protection', () => {
  const all = () => routes(t.app.express).filter(([, p]) => p.startsWith('/api'))

  it('finds the API routes to check', () => {
    expect(all().length).toBeGreaterThan(20)
  })

  it('requires a session for every /api route but the collector, opt-out, login and logout', async () => {
    const open: string[] = []
    for (const [method, path] of all()) {
      if (PUBLIC.has(`${method} ${path}`)) continue
      const url = path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? '0123456789abcdef' : 'example.com'))
      const res = await request(t.app)[method.toLowerCase() as 'get'](url).set('X-Spoor-Request', '1').send({})
      if (res.status !== 401) open.push(`${method} ${path} → ${res.status}`)
    }
    expect(open).toEqual([])
  })

  it('keeps every state-changing route, and the admin-only reads, from a viewer', async () => {
    const viewer = await t.login(t.app, { email: 'viewer@example.com', password: 'viewer password' })
    // Read-only routes a sales user needs; everything else that is not a GET changes state.
    const ADMIN_READS = new Set([
      '/api/users',
      '/api/suppressions',
      '/api/network-domains',
      '/api/admin/export',
      '/api/audit',
      '/api/stats/dropped',
      '/api/triggers',
      '/api/deliveries',
    ])
    // Every user's own account: the viewer changes their own password (with the current one) and chooses their digest.
    const OWN = new Set(['POST /api/me/password', 'PUT /api/me/mail'])
    // The sales inbox (issue 17): viewers set status, owner and tags, and keep notes.
    const INBOX = new Set(['PATCH /api/companies/:id', 'POST /api/companies/:id/notes', 'POST /api/companies/bulk'])
    const refused: string[] = []
    const allowed: string[] = []
    for (const [method, path] of all()) {
      if (PUBLIC.has(`${method} ${path}`)) continue
      if ((method === 'GET' && !ADMIN_READS.has(path)) || OWN.has(`${method} ${path}`)) continue
      const url = path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? '0123456789abcdef' : name === 'email' ? 'admin@example.com' : 'example.com'))
      const res = await (viewer as unknown as Record<string, (u: string) => request.Test>)[method.toLowerCase()]!(url).send({})
      ;(res.status === 403 ? refused : allowed).push(`${method} ${path}`)
    }
    expect(allowed.sort()).toEqual([...INBOX].sort())
    expect(refused.length).toBeGreaterThanOrEqual(12)
    expect(t.deps.sites.has('example.com')).toBe(true)
  })
})

describe('cross-site request forgery', () => {
  it('refuses a state-changing request without the X-Spoor-Request header', async () => {
    const agent = request.agent(t.app)
    await agent.post('/api/login').send({ email: 'admin@example.com', password: 'correct horse battery' }).expect(200)
    const res = await agent.post('/api/sites').send({ domain: 'forged.example.com' }).expect(403)
    expect(res.body.error).toMatch(/x-spoor-request/)
    expect(t.deps.sites.has('forged.example.com')).toBe(false)
    // Reading needs no header.
    await agent.get('/api/sites').expect(200)
  })

  it('accepts the origin of PUBLIC_URL when a proxy rewrote the Host header', async () => {
    const admin = await t.login()
    // PUBLIC_URL defaults to http://localhost:8080 in these tests; the proxy sends Host: backend:3000.
    const res = await admin.post('/api/sites').set('Host', 'backend:3000').set('Origin', 'http://localhost:8080').send({ domain: 'proxied.example.com' })
    expect(res.status).toBe(201)
    await admin.delete('/api/sites/proxied.example.com').expect(200)
  })

  it('refuses a state-changing request from another origin even with the header', async () => {
    const admin = await t.login()
    const res = await admin.post('/api/sites').set('Origin', 'https://evil.example.net').send({ domain: 'forged.example.com' }).expect(403)
    expect(res.body.error).toMatch(/another origin/)
  })

  it('lets the admin add and remove a site, which the collector follows at once', async () => {
    const admin = await t.login()
    const res = await admin.post('/api/sites').send({ domain: 'https://WWW.New-Site.example/' }).expect(201)
    expect(res.body.site).toBe('new-site.example')
    expect(res.body.snippet).toContain('data-site="new-site.example"')
    expect(t.deps.sites.has('new-site.example')).toBe(true)
    await admin.delete('/api/sites/new-site.example').expect(200)
    expect(t.deps.sites.has('new-site.example')).toBe(false)
    await admin.post('/api/sites').send({ domain: 'not a domain' }).expect(400)
  })

  it('lets the admin manage users: a removed user loses their session', async () => {
    const admin = await t.login()
    await admin.post('/api/users').send({ email: 'sales@example.com', password: 'short' }).expect(400)
    await admin.post('/api/users').send({ email: 'sales@example.com', password: 'sales password', role: 'viewer' }).expect(201)
    const sales = await t.login(t.app, { email: 'sales@example.com', password: 'sales password' })
    await sales.get('/api/me').expect(200)
    expect((await admin.get('/api/users').expect(200)).body.results).toContainEqual({ email: 'sales@example.com', role: 'viewer' })
    await admin.delete('/api/users/sales@example.com').expect(200)
    await sales.get('/api/me').expect(401)
    await admin.delete('/api/users/admin@example.com').expect(400)
  })

  it("a new password set by an admin ends that user's sessions; the same password again (ADMIN_PASSWORD at start) keeps them", async () => {
    const admin = await t.login()
    await admin.post('/api/users').send({ email: 'reset@example.com', password: 'first password', role: 'viewer' }).expect(201)
    const user = await t.login(t.app, { email: 'reset@example.com', password: 'first password' })
    await user.get('/api/me').expect(200)
    await t.deps.users.upsert('reset@example.com', 'first password', 'viewer')
    await user.get('/api/me').expect(200)
    await admin.post('/api/users').send({ email: 'reset@example.com', password: 'second password', role: 'viewer' }).expect(201)
    await user.get('/api/me').expect(401)
    await t.login(t.app, { email: 'reset@example.com', password: 'second password' })
  })
})

describe('cookies over https', () => {
  it('are Secure whenever PUBLIC_URL is https, also when the request reached Spoor over plain http (a proxy without TRUST_PROXY)', async () => {
    // chDB opens one data directory per process: this app replaces the file's app (closed by afterAll).
    await t.close()
    t = await makeApp({ PUBLIC_URL: 'https://stats.example.com' })
    const s = t
    {
      const login = await request(s.app).post('/api/login').send({ email: 'admin@example.com', password: 'correct horse battery' }).expect(200)
      expect(String(login.headers['set-cookie'])).toMatch(/spoor_session=[^;]+;.*Secure/)
      const optout = await request(s.app).post('/api/optout').set('Content-Type', 'application/json').send({ site: 'example.com' }).expect(202)
      expect(String(optout.headers['set-cookie'])).toMatch(/spoor_optout=1;.*Secure/)
      expect(String(optout.headers['set-cookie'])).toMatch(/SameSite=None/)
    }
  })
})
