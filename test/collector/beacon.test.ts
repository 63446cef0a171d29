// The beacon as served: size budget and headers that let other sites load it.
import { gzipSync } from 'node:zlib'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADAPTER_BUDGET_BYTES, BEACON_BUDGET_BYTES, CONSENT_ADAPTERS, EXTENSIONS_BUDGET_BYTES, EXTENSIONS_PATH } from '../../collector/beacon.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})

describe('GET /script.js', () => {
  it(`stays within its budget of ${BEACON_BUDGET_BYTES} bytes gzipped`, async () => {
    const res = await request(t.app).get('/script.js').set('Accept-Encoding', 'identity').expect(200)
    const gz = gzipSync(res.text, { level: 9 }).length
    expect(gz).toBeGreaterThan(300) // a real script, not an empty file
    expect(gz).toBeLessThanOrEqual(BEACON_BUDGET_BYTES)
  })

  it('is served gzipped, cacheable and loadable from other origins', async () => {
    const res = await request(t.app).get('/script.js').set('Accept-Encoding', 'gzip').expect(200)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['content-type']).toMatch(/application\/javascript/)
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.headers['cache-control']).toMatch(/max-age=3600/)
    await request(t.app).get('/script.js').set('If-None-Match', res.headers.etag!).expect(304)
  })

  it('is built from the TypeScript source and posts to /api/event', async () => {
    const res = await request(t.app).get('/script.js').set('Accept-Encoding', 'identity').expect(200)
    expect(res.text).toContain('/api/event')
    expect(res.text).toContain('spoor_id')
    expect(res.text).not.toMatch(/:\s*(string|number)\b[,)]/) // no TypeScript left in it
  })
})

describe('GET /consent/NAME.js (the adapters data-consent loads)', () => {
  it.each(CONSENT_ADAPTERS)(`serves %s within its budget of ${ADAPTER_BUDGET_BYTES} bytes gzipped, loadable from other origins`, async (name) => {
    const res = await request(t.app).get(`/consent/${name}.js`).set('Accept-Encoding', 'identity').expect(200)
    expect(res.headers['content-type']).toMatch(/application\/javascript/)
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.text).toContain('spoor("consent"')
    const gz = gzipSync(res.text, { level: 9 }).length
    expect(gz).toBeGreaterThan(150)
    expect(gz).toBeLessThanOrEqual(ADAPTER_BUDGET_BYTES)
  })

  it.each(['nope.js', 'tcf', 'tcf.js.map', '..%2Fscript.js'])('answers %s with a 404 that names the values data-consent takes', async (file) => {
    const res = await request(t.app).get(`/consent/${file}`).expect(404)
    expect(res.body.error).toMatch(/data-consent must be "callback" \(the default\), "tcf" or "gcm"/)
  })
})

describe(`GET ${EXTENSIONS_PATH} (the automatic events data-outbound, data-downloads and data-404 load)`, () => {
  it(`stays within its budget of ${EXTENSIONS_BUDGET_BYTES} bytes gzipped, and is loaded by the beacon from that path`, async () => {
    const res = await request(t.app).get(EXTENSIONS_PATH).set('Accept-Encoding', 'identity').expect(200)
    expect(res.text).toContain('Outbound Link: Click')
    expect(res.text).toContain('File Download')
    const gz = gzipSync(res.text, { level: 9 }).length
    expect(gz).toBeGreaterThan(150)
    expect(gz).toBeLessThanOrEqual(EXTENSIONS_BUDGET_BYTES)
    const beacon = await request(t.app).get('/script.js').set('Accept-Encoding', 'identity').expect(200)
    expect(beacon.text).toContain(`"${EXTENSIONS_PATH}"`)
  })

  it('is served as the adapters are: gzipped, cacheable, loadable from other origins', async () => {
    const res = await request(t.app).get(EXTENSIONS_PATH).set('Accept-Encoding', 'gzip').expect(200)
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers['content-type']).toMatch(/application\/javascript/)
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['cache-control']).toMatch(/max-age=3600/)
    await request(t.app).get(EXTENSIONS_PATH).set('If-None-Match', res.headers.etag!).expect(304)
  })
})

describe('demo', () => {
  it('serves /demo with the beacon, a consent banner and no inline script', async () => {
    const res = await request(t.app).get('/demo').expect(200)
    expect(res.text).toContain('<script defer src="/script.js" data-site="demo.localhost"></script>')
    expect(res.text).toContain('id="consent-banner"')
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/)
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(t.deps.sites.has('demo.localhost')).toBe(true)
  })
})
