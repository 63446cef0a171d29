// The dashboard in Debian's Chromium: log in, overview figures equal the API, the chart
// draws, a recognised company and its timeline, CSV export, hostile titles shown as
// text, dropped events for admins only, the viewer kept out of settings, Dutch. Screenshots go to screenshots/ (ignored by git).
import { mkdirSync, readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../auth/users.ts'
import { ADMIN, CHROME_UA, makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { CHROMIUM, chromiumMissing, launchChromium, serve } from '../helpers/browser.ts'
import { ipIn, NETS } from '../helpers/intel.ts'

const SHOTS = new URL('../../screenshots/', import.meta.url).pathname
const HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)>'

let t: TestApp
let stop: (() => Promise<void>) | undefined
let base = ''
let browser: Browser

if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`)

describe.skipIf(chromiumMissing)('dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    t = await makeApp({ TRUST_PROXY: 'loopback', DEMO: 'false' })
    await t.db.insert('users', [{ email: 'viewer@example.com', password_hash: await hashPassword('viewer password'), role: 'viewer' }])
    // A company visit of three pages (one with a hostile title), and two anonymous visits.
    const vid = rid()
    const sid = rid()
    for (const [path, title] of [
      ['/', 'Home'],
      ['/pricing', HOSTILE],
      ['/contact', 'Contact'],
    ] as const) {
      await send(t.app, pageview({ vid, sid, url: `https://example.com${path}`, title, referrer: path === '/' ? 'https://www.google.com/' : '' }), {
        'X-Forwarded-For': ipIn(NETS.acme),
      }).expect(202)
    }
    await send(t.app, pageview({ url: 'https://example.com/', title: 'Home' }), { 'X-Forwarded-For': ipIn(NETS.comcast) }).expect(202)
    await send(t.app, pageview({ url: 'https://example.com/blog', title: 'Blog' }), {
      'X-Forwarded-For': ipIn(NETS.university),
      'User-Agent': CHROME_UA,
    }).expect(202)
    // Dropped: two bots and a Do Not Track on example.com; on shop.example.org only a bot, so nothing there is counted.
    for (const [site, headers] of [
      ['example.com', { 'User-Agent': 'curl/8.5.0' }],
      ['example.com', { 'User-Agent': '' }],
      ['example.com', { DNT: '1' }],
      ['shop.example.org', { 'User-Agent': 'curl/8.5.0' }],
    ] as const) {
      await send(t.app, pageview({ site, url: `https://${site}/` }), headers).expect(202)
    }
    await t.flush()
    await t.deps.scheduler!.runNow('enrich-visits')
    ;({ base, close: stop } = await serve(t.app))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stop?.()
    await t?.close()
  })

  async function loggedIn(who = ADMIN, locale = 'en-GB'): Promise<{ page: Page; dialogs: string[] }> {
    const ctx = await browser.newContext({ userAgent: CHROME_UA, locale, acceptDownloads: true, viewport: { width: 1280, height: 900 } })
    const page = await ctx.newPage()
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.goto(`${base}/`)
    await page.fill('input[name=email]', who.email)
    await page.fill('input[name=password]', who.password)
    await page.click('button[type=submit]')
    await page.waitForSelector('[data-testid=figures]')
    return { page, dialogs }
  }

  it('logs in and shows the overview figures the API gives for the same range', async () => {
    const { page } = await loggedIn()
    // (Page scripts as strings run under the page's CSP, which forbids eval: poll from here.)
    await expect.poll(() => page.getAttribute('[data-testid=figure-pageviews] strong', 'data-value'), { timeout: 5000 }).not.toBe('')
    const url = new URL(page.url())
    expect(url.searchParams.get('site')).toBe('example.com')
    const today = new Date().toISOString().slice(0, 10)
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10)
    const api = await page.evaluate(`fetch('/api/stats/summary?site=example.com&from=${from}&to=${today}').then((r) => r.json())`)
    for (const k of ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration']) {
      const shown = await page.getAttribute(`[data-testid=figure-${k}] strong`, 'data-value')
      expect(`${k}=${shown}`).toBe(`${k}=${String((api as Record<string, number>)[k])}`)
    }
    expect((api as { pageviews: number }).pageviews).toBe(5)
    // What a person reads: the text of the figures, and the change against the previous 30 days (empty: "new", not +∞).
    expect(await page.textContent('[data-testid=figure-pageviews] strong')).toBe('5')
    expect(await page.textContent('[data-testid=figure-bounce_rate] strong')).toBe(`${String((api as { bounce_rate: number }).bounce_rate)}%`)
    expect(await page.textContent('[data-testid=figure-pageviews] .change')).toBe('new')
    // The chart is drawn on a canvas by uPlot.
    await page.waitForSelector('[data-testid=chart] canvas')
    // Ranked lists come from the API too.
    await page.waitForSelector('[data-testid=list-pages] li')
    expect(await page.textContent('[data-testid=list-referrers]')).toContain('google.com')
    await page.screenshot({ path: `${SHOTS}overview.png`, fullPage: true })
    await page.context().close()
  })

  it('keeps the view in the URL: a reload shows the same period', async () => {
    const { page } = await loggedIn()
    await page.selectOption('[data-testid=period]', '7d')
    await page.waitForURL(/period=7d/)
    await page.reload()
    await page.waitForSelector('[data-testid=figures]')
    expect(await page.inputValue('[data-testid=period]')).toBe('7d')
    await page.context().close()
  })

  it('lists the recognised company and shows its visit timeline with the pages in order, titles as text', async () => {
    const { page, dialogs } = await loggedIn()
    await page.click('nav >> text=Companies')
    await page.waitForSelector('[data-testid=companies]')
    const names = await page.$$eval('[data-testid=companies] tbody tr td:first-child a', (as) => as.map((a) => a.textContent))
    expect([...names].sort()).toEqual(['Acme Manufacturing B.V.', 'University of Example'])
    await page.screenshot({ path: `${SHOTS}companies.png`, fullPage: true })
    await page.click('text=Acme Manufacturing B.V.')
    await page.waitForSelector('[data-testid=timeline] li')
    expect(await page.textContent('[data-testid=company-name]')).toBe('Acme Manufacturing B.V.')
    const paths = await page.$$eval('[data-testid=timeline] .path', (els) => els.map((e) => e.textContent))
    expect(paths).toEqual(['/', '/pricing', '/contact'])
    // The hostile title is shown as text, and nothing ran.
    const titles = await page.$$eval('[data-testid=timeline] .title', (els) => els.map((e) => e.textContent))
    expect(titles).toContain(HOSTILE)
    expect(await page.$$('[data-testid=timeline] script, [data-testid=timeline] img')).toHaveLength(0)
    expect(dialogs).toEqual([])
    await page.screenshot({ path: `${SHOTS}company.png`, fullPage: true })
    await page.context().close()
  })

  it('shows hostile text from the internet (UTM values, paths, company names) as text, and runs none of it', async () => {
    // From the internet: a UTM campaign and a path with markup, and a company whose public name has markup.
    const campaign = `<img src=x onerror="window.__xss=1">${rid().slice(0, 6)}`
    await send(t.app, pageview({ url: `https://example.com/x<svg onload=alert(2)>?utm_campaign=${encodeURIComponent(campaign)}` })).expect(202)
    await t.flush()
    const company = `Evil <script>window.__xss=2</script><img src=y onerror=alert(3)> ${rid().slice(0, 6)} B.V.`
    const id = rid().slice(0, 16) // company ids are 16 hexadecimal characters
    const today = new Date().toISOString().slice(0, 10)
    await t.db.insert('companies', [{ company_id: id, name: company, domain: 'evil.example', country: 'NL', network_type: 'business', evidence: '[]' }])
    await t.db.command(
      "INSERT INTO company_visits (site, company_id, day, visits, pageviews, visitors, pages, first_seen, last_seen, duration) SELECT 'example.com', {id:String}, {d:Date}, 1, 1, uniqState('v'), ['/'], now64(3), now64(3), 0",
      { id, d: today },
    )
    const { page, dialogs } = await loggedIn()
    await page.waitForSelector('[data-testid=list-utm] li', { timeout: 8000 })
    const utm = await page.$$eval('[data-testid=list-utm] li .label', (els) => els.map((e) => e.textContent))
    expect(utm).toContain(campaign)
    const pages = await page.$$eval('[data-testid=list-pages] li .label', (els) => els.map((e) => e.textContent))
    expect(pages.some((p) => p?.includes('svg'))).toBe(true)
    await page.click('nav >> text=Companies')
    await page.waitForSelector('[data-testid=companies]')
    const names = await page.$$eval('[data-testid=companies] tbody tr td:first-child a', (as) => as.map((a) => a.textContent))
    expect(names).toContain(company)
    await page.click('[data-testid=companies] tbody tr td:first-child a >> text=/^Evil /', { timeout: 8000 })
    await page.waitForSelector('[data-testid=company-name]', { timeout: 8000 })
    expect(await page.textContent('[data-testid=company-name]')).toBe(company)
    // Nothing of it became markup, and nothing ran.
    expect(await page.$$('img[src=x], img[src=y], svg[onload], script:not([src])')).toHaveLength(0)
    expect(await page.evaluate('window.__xss')).toBeUndefined()
    expect(dialogs).toEqual([])
    await page.context().close()
  })

  it('downloads the companies list as CSV', async () => {
    const { page } = await loggedIn()
    await page.click('nav >> text=Companies')
    await page.waitForSelector('[data-testid=companies]')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=companies-csv]')])
    expect(download.suggestedFilename()).toBe('companies.csv')
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.split('\r\n')[0]).toBe(
      'name,domain,city,country,industry,employee_range,network_type,visits,pageviews,visitors,duration,last_visit,lead_score,status,owner,tags,latest_source,pages',
    )
    expect(csv).toContain('Acme Manufacturing B.V.,,Utrecht,NL')
    await page.context().close()
  })

  it('downloads a ranked list as CSV', async () => {
    const { page } = await loggedIn()
    await page.waitForSelector('[data-testid=list-pages] li')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=list-pages] header button')])
    expect(download.suggestedFilename()).toBe('pages.csv')
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('name,visitors,pageviews')
    expect(lines).toContain('/,2,2')
    await page.context().close()
  })

  it('shows an admin what was not counted and why, with plurals in both languages, and a viewer nothing of it', async () => {
    const { page } = await loggedIn()
    await page.waitForSelector('[data-testid=dropped]')
    expect(await page.textContent('[data-testid=dropped] p')).toBe('Not counted: 2 bots, 1 with Do Not Track')
    // Page views were counted here: no hint.
    expect(await page.$$('[data-testid=dropped-hint]')).toHaveLength(0)
    await page.selectOption('[data-testid=site-picker]', 'shop.example.org')
    await page.waitForSelector('[data-testid=dropped-hint]')
    expect(await page.textContent('[data-testid=dropped] p')).toBe('Not counted: 1 bot')
    expect(await page.textContent('[data-testid=dropped-hint]')).toBe(
      'Nothing was counted in this period: the one event that arrived was dropped. Headless browsers, curl, scripts and crawlers are bots, and bots are not counted: test in an ordinary browser.',
    )
    // The hint replaces the advice to paste the snippet, which would be wrong here.
    expect(await page.$$('[data-testid=empty]')).toHaveLength(0)
    await page.screenshot({ path: `${SHOTS}dropped.png`, fullPage: true })
    await page.click('[data-testid=lang]')
    await page.selectOption('[data-testid=site-picker]', 'example.com')
    await expect.poll(() => page.textContent('[data-testid=dropped] p'), { timeout: 5000 }).toBe('Niet geteld: 2 bots, 1 met Do Not Track')
    await page.context().close()

    const viewer = await loggedIn({ email: 'viewer@example.com', password: 'viewer password' })
    const asked: string[] = []
    viewer.page.on('request', (r) => void asked.push(new URL(r.url()).pathname))
    await viewer.page.reload()
    await expect.poll(() => viewer.page.getAttribute('[data-testid=figure-pageviews] strong', 'data-value'), { timeout: 5000 }).not.toBe('')
    await viewer.page.waitForSelector('[data-testid=list-pages] li')
    expect(asked).toContain('/api/stats/summary')
    expect(asked).not.toContain('/api/stats/dropped')
    expect(await viewer.page.$$('[data-testid=dropped]')).toHaveLength(0)
    await viewer.page.context().close()
  })

  it('keeps a viewer out of the admin settings', async () => {
    const { page } = await loggedIn({ email: 'viewer@example.com', password: 'viewer password' })
    expect(await page.$$('nav >> text=Settings')).toHaveLength(0)
    await page.goto(`${base}/settings`)
    await page.waitForSelector('text=Only admins can see the settings.')
    expect(await page.$$('[data-testid=settings]')).toHaveLength(0)
    await page.context().close()
  })

  it('shows the settings to an admin: snippet, retention, jobs', async () => {
    const { page } = await loggedIn()
    await page.click('nav >> text=Settings')
    await page.waitForSelector('[data-testid=retention]')
    await page.waitForSelector('text=enrich-visits')
    const text = (await page.textContent('[data-testid=settings]')) ?? ''
    expect(text).toContain('data-site="example.com"')
    expect(text).toContain('Full IP addresses7 days')
    expect(text).toContain('enrich-visits')
    await page.screenshot({ path: `${SHOTS}settings.png`, fullPage: true })
    await page.context().close()
  })

  it('speaks Dutch to a Dutch browser, and switches language', async () => {
    const { page } = await loggedIn(ADMIN, 'nl-NL')
    expect(await page.textContent('[data-testid=figure-visitors] span')).toBe('Unieke bezoekers')
    await page.click('[data-testid=lang]')
    expect(await page.textContent('[data-testid=figure-visitors] span')).toBe('Unique visitors')
    await page.context().close()
  })
})
