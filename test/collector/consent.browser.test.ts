// Consent as the site's consent manager gives it, on every page load: real consent
// managers from the npm registry on a site of another origin, the real beacon, Chromium.
// Each test asserts the requests to /api/event, Spoor's cookies, and what the stats API
// counted. "Later" is the page's clock moved on (Playwright's clock) with the cookies
// the browser would have dropped by then removed. Spoor's own cookie must never stand
// in for the consent manager's answer: under the old rule (a spoor_id of a year counted
// as consent) the expiry and revision tests fail.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Agent } from 'supertest'
import { CHROME_UA, makeApp, type TestApp } from '../helpers/app.ts'
import { CHROMIUM, chromiumMissing, launchChromium, serve } from '../helpers/browser.ts'
import { SITE, serveSite } from '../helpers/site.ts'

const DAY = 86_400_000
/** Long enough for the beacon to have sent anything it was going to: it sends within milliseconds. */
const SETTLE_MS = 400

let t: TestApp
let browser: Browser
let agent: Agent
let site: Awaited<ReturnType<typeof serveSite>>
let stopSpoor: () => Promise<void>

if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`)

interface Visitor {
  ctx: BrowserContext
  page: Page
  /** Bodies of the POSTs to /api/event, in order. */
  sent: Array<{ vid: string; sid: string; url: string; type: string }>
  /** Paths of the consent adapters the beacon loaded. */
  adapters: string[]
}

async function visitor(): Promise<Visitor> {
  const ctx = await browser.newContext({ userAgent: CHROME_UA })
  const page = await ctx.newPage()
  const sent: Visitor['sent'] = []
  const adapters: string[] = []
  ctx.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/event')) sent.push(JSON.parse(r.postData() ?? '{}'))
    if (r.url().includes('/consent/')) adapters.push(new URL(r.url()).pathname)
  })
  return { ctx, page, sent, adapters }
}

const spoorCookies = async (ctx: BrowserContext) => (await ctx.cookies()).filter((c) => c.name.startsWith('spoor_'))
const vidCookie = async (ctx: BrowserContext) => (await spoorCookies(ctx)).find((c) => c.name === 'spoor_id')

/** Page views per path, as the stats API counts them (after the writer's buffer is written). */
async function counted(): Promise<Record<string, number>> {
  await t.flush()
  const res = await agent.get(`/api/stats/pages?site=${SITE}`).expect(200)
  return Object.fromEntries((res.body.results as Array<{ name: string; pageviews: number }>).map((r) => [r.name, Number(r.pageviews)]))
}

async function waitSent(v: Visitor, n: number): Promise<void> {
  await expect.poll(() => v.sent.length, { timeout: 5000 }).toBeGreaterThanOrEqual(n)
  await v.page.waitForTimeout(SETTLE_MS)
  expect(v.sent).toHaveLength(n)
}

/** The visitor comes back `days` later: the cookies expired by then are gone, and the page's clock is moved on. */
async function later(v: Visitor, days: number): Promise<void> {
  const at = Date.now() + days * DAY
  for (const c of await v.ctx.cookies()) if (c.expires > 0 && c.expires * 1000 < at) await v.ctx.clearCookies({ name: c.name })
  await v.ctx.clock.install({ time: at })
}

interface Cmp {
  name: string
  kind: 'cc' | 'tcf'
  /** The cookie that holds the consent manager's record. */
  cookie: string
  banner: (p: Page) => ReturnType<Page['locator']>
  accept: (p: Page) => Promise<void>
  reject: (p: Page) => Promise<void>
  /** Withdraws consent on the open page, as the visitor does through the CMP's settings. */
  revoke: (p: Page) => Promise<void>
}

const CMPS: Cmp[] = [
  {
    name: 'vanilla-cookieconsent 3 (callback API)',
    kind: 'cc',
    cookie: 'cc_cookie',
    banner: (p) => p.locator('#cc-main .cm'),
    accept: (p) => p.click('#cc-main .cm button[data-role="all"]'),
    reject: (p) => p.click('#cc-main .cm button[data-role="necessary"]'),
    async revoke(p) {
      await p.evaluate('CookieConsent.showPreferences()')
      await p.click('#cc-main .pm button[data-role="necessary"]')
    },
  },
  {
    name: 'TCF v2.2 CMP on @iabtechlabtcf/cmpapi (data-consent="tcf")',
    kind: 'tcf',
    cookie: 'euconsent-v2',
    banner: (p) => p.locator('#tcf-banner'),
    accept: (p) => p.click('#tcf-accept'),
    reject: (p) => p.click('#tcf-reject'),
    async revoke(p) {
      await p.evaluate('showConsent()')
      await p.click('#tcf-reject')
    },
  },
]

describe.skipIf(chromiumMissing)('consent managers in Chromium', () => {
  beforeAll(async () => {
    t = await makeApp({ SITES: `example.com,${SITE}` })
    const spoor = await serve(t.app)
    stopSpoor = spoor.close
    site = await serveSite(spoor.base)
    browser = await launchChromium()
    agent = await t.login()
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await stopSpoor?.()
    await t?.close()
  })
  beforeEach(async () => {
    await t.reset()
  })

  describe.each(CMPS)('$name', (cmp) => {
    const open = async (v: Visitor, path = '', revision = 1) => {
      await v.page.goto(site.url(cmp.kind, path, revision))
      await v.page.waitForFunction("typeof window.spoor === 'function' && !window.spoor.q")
    }
    /** A visitor who accepted on the home page; returns the visitor id. */
    const accepted = async (v: Visitor) => {
      await open(v)
      await cmp.accept(v.page)
      await waitSent(v, 1)
      return (await vidCookie(v.ctx))!.value.split('.')[0]!
    }

    it('first visit: nothing is sent and no cookie is written while the banner waits', async () => {
      const v = await visitor()
      await open(v)
      await cmp.banner(v.page).waitFor({ state: 'visible', timeout: 5000 })
      await v.page.evaluate(`history.pushState({}, '', '/${cmp.kind}/spa-view')`)
      await v.page.evaluate("spoor('event', 'signup')")
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toEqual([])
      expect(await spoorCookies(v.ctx)).toEqual([])
      expect(await counted()).toEqual({})
      // The callback API needs no second script; data-consent="tcf" loads its adapter.
      expect(v.adapters).toEqual(cmp.kind === 'tcf' ? ['/consent/tcf.js'] : [])
      await v.ctx.close()
    })

    it('accept: the page view is sent and counted, and spoor_id expires with the consent (182 days)', async () => {
      const v = await visitor()
      const vid = await accepted(v)
      expect(v.sent[0]).toMatchObject({ type: 'pageview', vid, url: site.url(cmp.kind) })
      const id = (await vidCookie(v.ctx))!
      const days = (id.expires * 1000 - Date.now()) / DAY
      expect(days).toBeGreaterThan(180)
      expect(days).toBeLessThanOrEqual(182)
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 1 })
      await v.ctx.close()
    })

    it('reject: nothing is sent, on this page or the next, and Spoor has no cookies', async () => {
      const v = await visitor()
      await open(v)
      await cmp.reject(v.page)
      await open(v, 'pricing')
      await v.page.waitForTimeout(SETTLE_MS)
      expect(await cmp.banner(v.page).isVisible()).toBe(false)
      expect(v.sent).toEqual([])
      expect(await spoorCookies(v.ctx)).toEqual([])
      expect(await counted()).toEqual({})
      await v.ctx.close()
    })

    it('revoke: collection stops on the same page without a reload, and the cookies are removed', async () => {
      const v = await visitor()
      await accepted(v)
      await cmp.revoke(v.page)
      await expect.poll(() => spoorCookies(v.ctx)).toEqual([])
      await v.page.evaluate(`history.pushState({}, '', '/${cmp.kind}/after-revoke')`)
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      await open(v, 'pricing')
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 1 })
      await v.ctx.close()
    })

    it('reload after accept: counted again under the same visitor id, without a banner', async () => {
      const v = await visitor()
      const vid = await accepted(v)
      await v.page.reload()
      await waitSent(v, 2)
      expect(await cmp.banner(v.page).isVisible()).toBe(false)
      expect(v.sent.map((s) => s.vid)).toEqual([vid, vid])
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 2 })
      await v.ctx.close()
    })

    it('single-page navigation: not counted while the banner waits, counted after accept', async () => {
      const v = await visitor()
      await open(v)
      await v.page.evaluate(`history.pushState({}, '', '/${cmp.kind}/step-1')`)
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toEqual([])
      await cmp.accept(v.page)
      await waitSent(v, 1)
      await v.page.evaluate(`history.pushState({}, '', '/${cmp.kind}/step-2')`)
      await waitSent(v, 2)
      expect(v.sent.map((s) => new URL(s.url).pathname)).toEqual([`/${cmp.kind}/step-1`, `/${cmp.kind}/step-2`])
      expect(await counted()).toEqual({ [`/${cmp.kind}/step-1`]: 1, [`/${cmp.kind}/step-2`]: 1 })
      await v.ctx.close()
    })

    it('an expired consent record: asked again, nothing sent before the answer, and a yes starts a new visitor id', async () => {
      const v = await visitor()
      const vid = await accepted(v)
      await later(v, 183)
      await open(v, 'pricing')
      await cmp.banner(v.page).waitFor({ state: 'visible', timeout: 5000 })
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 1 })
      await cmp.accept(v.page)
      await waitSent(v, 2)
      expect(v.sent[1]!.vid).not.toBe(vid)
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 1, [`/${cmp.kind}/pricing`]: 1 })
      await v.ctx.close()
    })

    it("the consent record gone while spoor_id remains: Spoor's own cookie is not consent, nothing is sent", async () => {
      const v = await visitor()
      await accepted(v)
      await v.ctx.clearCookies({ name: cmp.cookie })
      await open(v, 'pricing')
      await cmp.banner(v.page).waitFor({ state: 'visible', timeout: 5000 })
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      expect(await vidCookie(v.ctx)).toBeDefined()
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 1 })
      await v.ctx.close()
    })

    it('a bumped policy revision: asked again, nothing sent before the answer, a no removes the cookies', async () => {
      const v = await visitor()
      await accepted(v)
      await later(v, 7)
      await open(v, 'pricing', 2)
      await cmp.banner(v.page).waitFor({ state: 'visible', timeout: 5000 })
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      await cmp.reject(v.page)
      await expect.poll(() => spoorCookies(v.ctx)).toEqual([])
      await open(v, '', 2)
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 1 })
      await v.ctx.close()
    })

    it('a bumped policy revision answered yes: counted from the answer on, under a new visitor id', async () => {
      const v = await visitor()
      const vid = await accepted(v)
      await later(v, 7)
      await open(v, 'pricing', 2)
      await cmp.banner(v.page).waitFor({ state: 'visible', timeout: 5000 })
      await cmp.accept(v.page)
      await waitSent(v, 2)
      expect(v.sent[1]!.vid).not.toBe(vid)
      expect(await counted()).toEqual({ [`/${cmp.kind}/`]: 1, [`/${cmp.kind}/pricing`]: 1 })
      await v.ctx.close()
    })
  })

  describe('Google Consent Mode v2 (data-consent="gcm")', () => {
    const open = async (v: Visitor, path = '') => {
      // The adapter is a second script: wait until it has arrived, and a moment for it to run.
      const adapter = v.page.waitForResponse((r) => r.url().endsWith('/consent/gcm.js'))
      await v.page.goto(site.url('gcm', path))
      await adapter
      await v.page.waitForTimeout(100)
    }
    const gtag = (v: Visitor, state: 'granted' | 'denied', command = 'update') =>
      v.page.evaluate(`gtag('consent', '${command}', { analytics_storage: '${state}' })`)

    it('default denied: nothing; update granted: counted; update denied: stopped and the cookies removed', async () => {
      const v = await visitor()
      await open(v)
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toEqual([])
      expect(await spoorCookies(v.ctx)).toEqual([])
      await gtag(v, 'granted')
      await waitSent(v, 1)
      expect(await vidCookie(v.ctx)).toBeDefined()
      await v.page.evaluate("history.pushState({}, '', '/gcm/spa')")
      await waitSent(v, 2)
      await gtag(v, 'denied')
      expect(await spoorCookies(v.ctx)).toEqual([])
      await v.page.evaluate("history.pushState({}, '', '/gcm/after-denied')")
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(2)
      expect(await counted()).toEqual({ '/gcm/': 1, '/gcm/spa': 1 })
      await v.ctx.close()
    })

    it('a default of granted is the site speaking, not the visitor: nothing is sent', async () => {
      const v = await visitor()
      await open(v)
      await gtag(v, 'granted', 'default')
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toEqual([])
      expect(await spoorCookies(v.ctx)).toEqual([])
      expect(await counted()).toEqual({})
      await v.ctx.close()
    })

    it('a default of denied after an update on the same page withdraws (what some consent managers send on decline)', async () => {
      const v = await visitor()
      await open(v)
      await gtag(v, 'granted')
      await waitSent(v, 1)
      await gtag(v, 'denied', 'default')
      expect(await spoorCookies(v.ctx)).toEqual([])
      await v.page.evaluate("history.pushState({}, '', '/gcm/after-decline')")
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      expect(await counted()).toEqual({ '/gcm/': 1 })
      await v.ctx.close()
    })

    it('an update already on dataLayer before the adapter loaded counts, and later ones are seen after gtag.js replaces dataLayer.push', async () => {
      const v = await visitor()
      // A CMP that restores a stored consent synchronously, before Spoor's scripts run.
      await v.ctx.addCookies([{ name: 'cmp_gcm', value: 'granted', url: site.url('gcm') }])
      await open(v)
      await waitSent(v, 1)
      // gtag.js does this when it loads: its own push takes over.
      await v.page.evaluate('dataLayer.push = function () { return Array.prototype.push.apply(dataLayer, arguments) }')
      await gtag(v, 'denied')
      expect(await spoorCookies(v.ctx)).toEqual([])
      await v.page.evaluate("history.pushState({}, '', '/gcm/after-denied')")
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toHaveLength(1)
      expect(await counted()).toEqual({ '/gcm/': 1 })
      await v.ctx.close()
    })
  })

  describe('callback API', () => {
    it('a consent newer than the one spoor_id was set under starts a new visitor id and a new visit', async () => {
      const v = await visitor()
      await v.page.goto(site.url('cc'))
      await v.page.waitForFunction("typeof window.spoor === 'function' && !window.spoor.q")
      const given = Date.now() - 60_000
      await v.page.evaluate(`spoor('consent', true, ${given})`)
      await waitSent(v, 1)
      // The same consent again (the next page load): same id, same visit.
      await v.page.evaluate(`spoor('consent', true, ${given}); history.pushState({}, '', '/cc/same')`)
      await waitSent(v, 2)
      // Given again now (the CMP asked again and the visitor said yes).
      await v.page.evaluate(`spoor('consent', true, Date.now()); history.pushState({}, '', '/cc/again')`)
      await waitSent(v, 3)
      const [a, b, c] = v.sent
      expect(b!.vid).toBe(a!.vid)
      expect(b!.sid).toBe(a!.sid)
      expect(c!.vid).not.toBe(a!.vid)
      expect(c!.sid).not.toBe(a!.sid)
      expect((await vidCookie(v.ctx))!.value.split('.')[0]).toBe(c!.vid)
      expect(await counted()).toEqual({ '/cc/': 1, '/cc/same': 1, '/cc/again': 1 })
      await v.ctx.close()
    })

    it('a consent older than data-consent-days has expired: nothing is sent', async () => {
      const v = await visitor()
      await v.page.goto(site.url('cc'))
      await v.page.waitForFunction("typeof window.spoor === 'function' && !window.spoor.q")
      await v.page.evaluate(`spoor('consent', true, new Date(Date.now() - 183 * ${DAY}).toISOString())`)
      await v.page.waitForTimeout(SETTLE_MS)
      expect(v.sent).toEqual([])
      expect(await spoorCookies(v.ctx)).toEqual([])
      await v.page.evaluate(`spoor('consent', true, new Date(Date.now() - 10 * ${DAY}).toISOString())`)
      await waitSent(v, 1)
      const days = ((await vidCookie(v.ctx))!.expires * 1000 - Date.now()) / DAY
      expect(days).toBeGreaterThan(171)
      expect(days).toBeLessThanOrEqual(172)
      expect(await counted()).toEqual({ '/cc/': 1 })
      await v.ctx.close()
    })
  })
})
