// Login, sessions and the admin created at start.
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
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

describe('passwords changed by their user or reset by an admin', () => {
  // A new app for each test: new counts for the limits of 10 logins and 10 password tries a minute.
  beforeEach(async () => {
    await t.restart()
  })
  const tokenOf = (res: request.Response) => /spoor_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? ''
  const me = (token: string) => request(t.app).get('/api/me').set('Cookie', `spoor_session=${token}`)
  async function user(email: string, password: string) {
    await t.deps.users.upsert(email, password, 'viewer')
    return { email, password }
  }

  it('a user changes their own password only with the current one', async () => {
    const u = await user('changes@example.com', 'first password')
    const agent = await t.login(t.app, u)
    const wrong = await agent.post('/api/me/password').send({ current: 'not my password', password: 'second password' }).expect(403)
    expect(wrong.body).toEqual({ error: 'the current password is wrong', field: 'current' })
    expect((await agent.post('/api/me/password').send({ password: 'second password' }).expect(400)).body.field).toBe('current')
    expect((await agent.post('/api/me/password').send('current=x').expect(400)).body).toEqual({
      error: 'send { "current": "...", "password": "..." } as application/json',
      field: 'body',
    })
    const short = await agent.post('/api/me/password').send({ current: u.password, password: 'short' }).expect(400)
    expect(short.body).toEqual({ error: 'password must be at least 8 characters', field: 'password' })
    expect((await agent.post('/api/me/password').send({ current: u.password, password: u.password }).expect(400)).body.error).toBe(
      'the new password is the current one',
    )
    // Nothing of that changed the password.
    await request(t.app).post('/api/login').send(u).expect(200)

    const ok = await agent.post('/api/me/password').send({ current: u.password, password: 'second password' }).expect(200)
    expect(ok.body).toEqual({ email: u.email, sessions_ended: 1 })
    await request(t.app).post('/api/login').send(u).expect(401)
    await request(t.app).post('/api/login').send({ email: u.email, password: 'second password' }).expect(200)
  })

  it("a password change ends the user's other sessions and gives this browser a new one", async () => {
    const u = await user('two-browsers@example.com', 'first password')
    const here = tokenOf(await request(t.app).post('/api/login').send(u).expect(200))
    const elsewhere = tokenOf(await request(t.app).post('/api/login').send(u).expect(200))
    const res = await request(t.app)
      .post('/api/me/password')
      .set('Cookie', `spoor_session=${here}`)
      .set('X-Spoor-Request', '1')
      .send({ current: u.password, password: 'second password' })
      .expect(200)
    expect(res.body.sessions_ended).toBe(1)
    const renewed = tokenOf(res)
    expect(renewed).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/)
    await me(elsewhere).expect(401)
    // A copy of this browser's old cookie is worthless too.
    await me(here).expect(401)
    expect((await me(renewed).expect(200)).body).toEqual({ email: u.email, role: 'viewer' })
  })

  it("an admin reset ends the user's sessions", async () => {
    const u = await user('forgot@example.com', 'first password')
    const theirs = await t.login(t.app, u)
    const admin = await t.login()
    const res = await admin
      .post(`/api/users/${encodeURIComponent(u.email)}/password`)
      .send({ password: 'set by the admin' })
      .expect(200)
    expect(res.body).toEqual({ email: u.email, sessions_ended: 1 })
    await theirs.get('/api/me').expect(401)
    await request(t.app).post('/api/login').send(u).expect(401)
    await request(t.app).post('/api/login').send({ email: u.email, password: 'set by the admin' }).expect(200)
    // The admin's own session goes on.
    await admin.get('/api/me').expect(200)
  })

  it("a viewer cannot reset another user's password", async () => {
    const v = await user('curious@example.com', 'viewer password')
    const viewer = await t.login(t.app, v)
    const res = await viewer
      .post(`/api/users/${encodeURIComponent(ADMIN.email)}/password`)
      .send({ password: 'taken over!' })
      .expect(403)
    expect(res.body.error).toBe('only an admin may do this')
    await request(t.app).post('/api/login').send(ADMIN).expect(200)
  })

  it("an admin reset names what is wrong: an unknown user (404), a short password or the admin's own (400)", async () => {
    const admin = await t.login()
    expect((await admin.post('/api/users/nobody%40example.com/password').send({ password: 'long enough' }).expect(404)).body.error).toBe('no such user')
    await user('short@example.com', 'first password')
    expect((await admin.post('/api/users/short%40example.com/password').send({ password: 'short' }).expect(400)).body).toEqual({
      error: 'password must be at least 8 characters',
      field: 'password',
    })
    expect((await admin.post('/api/users/short%40example.com/password').send({}).expect(400)).body.field).toBe('password')
    // Their own: through /api/me/password, which asks for the current one.
    expect(
      (
        await admin
          .post(`/api/users/${encodeURIComponent(ADMIN.email)}/password`)
          .send({ password: 'long enough' })
          .expect(400)
      ).body.error,
    ).toMatch(/POST \/api\/me\/password/)
    await request(t.app).post('/api/login').send(ADMIN).expect(200)
  })

  it('a password change needs a session and the CSRF header like every change', async () => {
    await request(t.app).post('/api/me/password').set('X-Spoor-Request', '1').send({ current: ADMIN.password, password: 'not applied' }).expect(401)
    const agent = request.agent(t.app)
    await agent.post('/api/login').send(ADMIN).expect(200)
    expect((await agent.post('/api/me/password').send({ current: ADMIN.password, password: 'not applied' }).expect(403)).body.error).toMatch(/x-spoor-request/)
    await request(t.app).post('/api/login').send(ADMIN).expect(200)
  })

  it('guessing the current password is limited like the login: 10 tries a minute per network', async () => {
    const u = await user('guessed@example.com', 'first password')
    const agent = await t.login(t.app, u)
    for (let i = 0; i < 10; i++)
      await agent
        .post('/api/me/password')
        .send({ current: `guess ${i}`, password: 'second password' })
        .expect(403)
    const res = await agent.post('/api/me/password').send({ current: u.password, password: 'second password' }).expect(429)
    expect(res.body.error).toMatch(/too many password attempts/)
    expect(res.headers['retry-after']).toBeDefined()
    await request(t.app).post('/api/login').send(u).expect(200)
  })
})
