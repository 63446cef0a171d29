// Page scripts are passed as strings: the test program is typed for Node, not the DOM.
// The beacon in a real browser (Debian's Chromium through playwright-core) on the
// demo page: nothing before consent, cookies and page views after, SPA navigation,
// custom events, withdrawal of consent and opt-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CHROME_UA, makeApp, type TestApp } from '../helpers/app.ts'
import { CHROMIUM, chromiumMissing, launchChromium, serve } from '../helpers/browser.ts'

let t: TestApp
let stop: (() => Promise<void>) | undefined
let base = ''
let browser: Browser

if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`)

describe.skipIf(chromiumMissing)('beacon in Chromium', () => {
  beforeAll(async () => {
    t = await makeApp()
    ;({ base, close: stop } = await serve(t.app))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stop?.()
    await t?.close()
  })

  // Headless Chromium says "HeadlessChrome" in its user agent, which the collector
  // rightly drops as a bot; the tests browse as an ordinary desktop Chrome.
  const newContext = () => browser.newContext({ userAgent: CHROME_UA })
  const spoorCookies = async (ctx: BrowserContext) => (await ctx.cookies()).filter((c) => c.name.startsWith('spoor_'))

  /** Waits (at most `ms`) until `n` events of this visitor are stored. */
  async function storedFor(vid: string, n: number, ms = 5000) {
    const deadline = Date.now() + ms
    for (;;) {
      const rows = await t.db.query<{ type: string; path: string; name: string }>('SELECT type, path, name FROM events WHERE vid = {vid:String} ORDER BY ts', {
        vid,
      })
      if (rows.length >= n || Date.now() > deadline) return rows
      await t.flush()
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /** A fresh browser on /demo that accepted analytics; returns its visitor id. */
  async function consentedPage(): Promise<{ ctx: BrowserContext; page: Page; vid: string }> {
    const ctx = await newContext()
    const page = await ctx.newPage()
    await page.goto(`${base}/demo`)
    await page.click('#accept')
    await page.waitForFunction("document.cookie.includes('spoor_id=')")
    const vid = (await spoorCookies(ctx)).find((c) => c.name === 'spoor_id')!.value.split('.')[0]!
    return { ctx, page, vid }
  }

  async function eventRequests(page: Page) {
    const seen: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/api/')) seen.push(`${r.method()} ${new URL(r.url()).pathname}`)
    })
    return seen
  }

  it('sends nothing and sets no cookie before consent', async () => {
    const ctx = await newContext()
    const page = await ctx.newPage()
    const seen = await eventRequests(page)
    await page.goto(`${base}/demo`)
    await page.waitForFunction("typeof window.spoor === 'function'")
    // Only an explicit true is consent.
    await page.evaluate("spoor('consent'); spoor('consent', 1); spoor('consent', 'false'); spoor('event', 'signup')")
    await page.click('a[href="/demo/pricing"]')
    await page.waitForURL(/pricing/)
    await page.waitForTimeout(300)
    expect(seen).toEqual([])
    expect(await spoorCookies(ctx)).toEqual([])
    expect(await t.count('events', "site = 'demo.localhost'")).toBe(0)
    await ctx.close()
  })

  it('after consent: sets spoor_id for the consent lifetime (182 days) and spoor_ses for 30 minutes, and counts page views', async () => {
    const ctx = await newContext()
    const page = await ctx.newPage()
    await page.goto(`${base}/demo`)
    await page.click('#accept')
    await page.waitForFunction("document.cookie.includes('spoor_id=')")
    const cookies = await spoorCookies(ctx)
    const id = cookies.find((c) => c.name === 'spoor_id')!
    const ses = cookies.find((c) => c.name === 'spoor_ses')!
    const now = Date.now() / 1000
    expect(id.expires - now).toBeGreaterThan(181 * 86400)
    expect(id.expires - now).toBeLessThanOrEqual(182 * 86400)
    expect(ses.expires - now).toBeGreaterThan(29 * 60)
    expect(ses.expires - now).toBeLessThanOrEqual(30 * 60 + 5)
    expect(id.sameSite).toBe('Lax')

    // The consent is remembered by the page's own banner on the next page.
    await page.click('a[href="/demo/pricing"]')
    await page.waitForURL(/pricing/)
    // Single-page-app navigation counts too.
    await page.evaluate("history.pushState({}, '', '/demo/app-view')")
    await page.evaluate("spoor('event', 'signup', { plan: 'pro' })")
    const rows = await storedFor(id.value.split('.')[0]!, 4)
    expect(rows).toEqual([
      { type: 'pageview', path: '/demo', name: '' },
      { type: 'pageview', path: '/demo/pricing', name: '' },
      { type: 'pageview', path: '/demo/app-view', name: '' },
      { type: 'event', path: '/demo/app-view', name: 'signup' },
    ])
    const [s] = await t.db.query<{ n: string }>('SELECT uniqExact(sid) AS n FROM events WHERE vid = {vid:String}', { vid: id.value.split('.')[0]! })
    expect(Number(s?.n)).toBe(1)
    await ctx.close()
  })

  it('tries an event again after Retry-After when the collector answers 503, with the same id, and it is stored once', async () => {
    const ctx = await newContext()
    const bodies: string[] = []
    // The collector's journal is full for the first request (answered here, in the browser's network layer).
    await ctx.route('**/api/event', async (route) => {
      bodies.push(route.request().postData() ?? '')
      if (bodies.length === 1) {
        await route.fulfill({
          status: 503,
          headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
          body: '{"error":"the collector is catching up; retry later"}',
        })
      } else await route.continue()
    })
    const page = await ctx.newPage()
    await page.goto(`${base}/demo`)
    await page.click('#accept')
    await page.waitForFunction("document.cookie.includes('spoor_id=')")
    const vid = (await spoorCookies(ctx)).find((c) => c.name === 'spoor_id')!.value.split('.')[0]!
    const rows = await storedFor(vid, 1, 8000)
    expect(rows).toHaveLength(1)
    expect(bodies).toHaveLength(2)
    expect(JSON.parse(bodies[1]!).id).toBe(JSON.parse(bodies[0]!).id)
    await ctx.close()
  })

  it("spoor('consent', false) removes the cookies and stops collection", async () => {
    const { ctx, page, vid } = await consentedPage()
    await storedFor(vid, 1)
    await page.click('#change') // the banner's "change my choice" withdraws consent
    expect(await spoorCookies(ctx)).toEqual([])
    const seen = await eventRequests(page)
    await page.evaluate("history.pushState({}, '', '/demo/after-withdrawal')")
    await page.waitForTimeout(300)
    expect(seen).toEqual([])
    // 1.5 s: the beacon sends within milliseconds and the test writer flushes every 50 ms.
    expect((await storedFor(vid, 2, 1500)).length).toBe(1)
    await ctx.close()
  })

  it("spoor('erase') withdraws consent, removes the cookies and has the server forget the visitor", async () => {
    const { ctx, page, vid } = await consentedPage()
    await storedFor(vid, 1)
    await page.evaluate("spoor('consent', false)")
    expect(await spoorCookies(ctx)).toEqual([])
    // Consent withdrawn first; erasure is still possible with the id the page remembers.
    await page.evaluate("spoor('erase')")
    await expect.poll(async () => t.count('erasure_requests', "status = 'done'"), { timeout: 15_000 }).toBeGreaterThan(0)
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
    await ctx.close()
  })

  it("spoor('optout') sets spoor_optout, tells the server, and nothing is sent after", async () => {
    const { ctx, page, vid } = await consentedPage()
    await page.evaluate("spoor('optout')")
    await expect.poll(() => t.deps.optouts.has(vid), { timeout: 5000 }).toBe(true)
    const names = (await spoorCookies(ctx)).map((c) => c.name)
    expect(names).toContain('spoor_optout')
    expect(names).not.toContain('spoor_id')
    await page.evaluate("spoor('consent', true)")
    await page.evaluate("history.pushState({}, '', '/demo/after-optout')")
    await page.waitForTimeout(300)
    expect((await storedFor(vid, 2, 1500)).map((r) => r.path)).toEqual(['/demo'])
    await ctx.close()
  })

  it('sends only the e-mail domain of a submitted form, never the address or the page', async () => {
    const { ctx, page, vid } = await consentedPage()
    await page.click('a[href="/demo/contact"]')
    await page.waitForURL(/contact/)
    const bodies: string[] = []
    page.on('request', (r) => {
      if (r.url().endsWith('/api/event')) bodies.push(r.postData() ?? '')
    })
    await page.fill('input[type=email]', 'jan.jansen@acme-widgets.example')
    await page.click('#quote button')
    await page.waitForURL(/thanks/)
    const form = bodies.map((b) => JSON.parse(b) as Record<string, unknown>).find((b) => b.type === 'form')
    expect(form).toBeDefined()
    expect(Object.keys(form!).sort()).toEqual(['consent', 'domain', 'id', 'sid', 'site', 'type', 'url', 'vid'])
    expect(form).toMatchObject({ domain: 'acme-widgets.example', url: `${base}/` })
    expect(JSON.stringify(bodies)).not.toContain('jan.jansen')
    await expect.poll(async () => t.count('form_domains', 'vid = {vid:String}', { vid }), { timeout: 5000 }).toBe(1)
    const rows = await t.db.query<Record<string, string>>('SELECT * FROM form_domains WHERE vid = {vid:String}', { vid })
    expect(rows[0]).toMatchObject({ domain: 'acme-widgets.example', network: '127.0.0.0/24' })
    await ctx.close()
  })

  it('carries the visitor id to the opt-out page in the fragment (never the query), and the page records it', async () => {
    const { ctx, page, vid } = await consentedPage()
    await storedFor(vid, 1)
    const requested: string[] = []
    page.on('request', (r) => requested.push(r.url()))
    await page.click('a[href^="/optout"], a[href*="/optout"]')
    await page.waitForURL(/\/optout/)
    // The page's script took the id from the fragment into its forms, and out of the address bar.
    await page.waitForFunction("document.querySelector('input[name=vid]').value.length > 0")
    expect(await page.inputValue('form:has(button[value="optout"]) input[name=vid]')).toBe(vid)
    expect(await page.textContent('#vid-prefix')).toBe(vid.slice(0, 8))
    expect(new URL(page.url()).hash).toBe('')
    expect(requested.filter((u) => u.includes(vid))).toEqual([])
    expect(await page.isChecked('input[name=erase]')).toBe(true)
    await page.click('button[value="optout"]')
    await page.waitForURL(/done=optout/)
    expect(await page.textContent('.done')).toMatch(/opted out, and the data stored under this visitor id is erased/)
    expect(t.deps.optouts.has(vid)).toBe(true)
    expect(await t.count('events', 'vid = {vid:String}', { vid })).toBe(0)
    // Back on the site, the beacon sets the site's own opt-out cookie and forgets the
    // visitor id. Here site and Spoor share a host, so the server's cookie is removed
    // first, as if the site lived on another domain.
    await ctx.clearCookies({ name: 'spoor_optout' })
    await page.click('#back')
    await page.waitForURL(/\/demo/)
    await expect.poll(() => page.evaluate('document.cookie'), { timeout: 5000 }).toContain('spoor_optout=1')
    expect(await page.evaluate('document.cookie')).not.toContain('spoor_id=')
    // The link's #spoor-optout is gone once handled: a reload does not opt out again.
    expect(new URL(page.url()).hash).toBe('')
    await ctx.close()
  })
})
