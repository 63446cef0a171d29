// Sessions: a new token at every login (the one held before stops working), expiry
// enforced by the server, and the Secure flag when the dashboard is served over HTTPS.
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  // A TLS-terminating proxy in front (loopback): X-Forwarded-Proto says whether the visitor used HTTPS.
  t = await makeApp({ TRUST_PROXY: 'loopback' })
})
afterAll(async () => {
  await t.close()
})

const tokenOf = (res: request.Response) => /spoor_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? ''

describe('sessions', () => {
  it('rotates the session at login: the token held before no longer opens the API', async () => {
    const first = tokenOf(await request(t.app).post('/api/login').send(ADMIN).expect(200))
    await request(t.app).get('/api/me').set('Cookie', `spoor_session=${first}`).expect(200)
    const second = tokenOf(await request(t.app).post('/api/login').set('Cookie', `spoor_session=${first}`).send(ADMIN).expect(200))
    expect(second).not.toBe(first)
    await request(t.app).get('/api/me').set('Cookie', `spoor_session=${first}`).expect(401)
    await request(t.app).get('/api/me').set('Cookie', `spoor_session=${second}`).expect(200)
  })

  it('refuses a session past its expiry, whatever the browser still sends', async () => {
    const token = tokenOf(await request(t.app).post('/api/login').send(ADMIN).expect(200))
    // The session's end moved into the past, as time would move it.
    await t.db.client.command({
      query: 'ALTER TABLE auth_sessions UPDATE expires_at = now() - 1 WHERE email = {e:String}',
      query_params: { e: ADMIN.email },
      clickhouse_settings: { mutations_sync: '2' },
    })
    await request(t.app).get('/api/me').set('Cookie', `spoor_session=${token}`).expect(401)
  })

  it('marks the cookie Secure only when the dashboard was reached over HTTPS', async () => {
    const https = await request(t.app).post('/api/login').set('X-Forwarded-Proto', 'https').send(ADMIN).expect(200)
    expect(String(https.headers['set-cookie'])).toMatch(/; Secure/)
    expect(String(https.headers['set-cookie'])).toMatch(/HttpOnly/)
    expect(String(https.headers['set-cookie'])).toMatch(/SameSite=Lax/)
    const plain = await request(t.app).post('/api/login').send(ADMIN).expect(200)
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/)
  })
})
