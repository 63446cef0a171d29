// Login, sessions and the admin created at start.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../auth/users.ts'
import { ADMIN, makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})

describe('passwords', () => {
  it('stores scrypt hashes that verify the right password only', async () => {
    const h = await hashPassword('s3cret-enough')
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(h).not.toContain('s3cret-enough')
    expect(await verifyPassword('s3cret-enough', h)).toBe(true)
    expect(await verifyPassword('s3cret-enougH', h)).toBe(false)
  })
})

describe('login', () => {
  it('sets an HttpOnly, SameSite session cookie for the admin from ADMIN_EMAIL/ADMIN_PASSWORD', async () => {
    const res = await request(t.app).post('/api/login').send(ADMIN).expect(200)
    expect(res.body).toEqual({ email: ADMIN.email, role: 'admin' })
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toMatch(/spoor_session=[A-Za-z0-9_-]{43};/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
  })

  it('refuses a wrong password and an unknown user alike with 401', async () => {
    const a = await request(t.app)
      .post('/api/login')
      .send({ ...ADMIN, password: 'wrong password' })
      .expect(401)
    const b = await request(t.app).post('/api/login').send({ email: 'nobody@example.com', password: 'whatever1' }).expect(401)
    expect(a.body.error).toBe('wrong e-mail or password')
    expect(b.body.error).toBe(a.body.error)
  })

  it('refuses a login body that is not { email, password } with 400', async () => {
    const res = await request(t.app).post('/api/login').send({ email: ADMIN.email }).expect(400)
    expect(res.body.error).toMatch(/email.*password/)
  })

  it('opens /api/me with the session and closes it at logout', async () => {
    const agent = await t.login()
    expect((await agent.get('/api/me').expect(200)).body).toEqual({ email: ADMIN.email, role: 'admin' })
    await agent.post('/api/logout').expect(200)
    await agent.get('/api/me').expect(401)
  })

  it('refuses a forged session token', async () => {
    await request(t.app).get('/api/me').set('Cookie', 'spoor_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(401)
  })

  it('keeps /api routes it does not know behind the login too', async () => {
    await request(t.app).get('/api/secret-admin-thing').expect(401)
  })
})
