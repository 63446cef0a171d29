// The dashboard's filters, sources, goals, hours and languages in Debian's Chromium,
// against the real stats API: a click on a row filters every figure and list (and the URL
// keeps it), a source drills down to its referrers, goals show their conversion rate,
// one day is charted per hour, Dutch names countries in Dutch, and "today" is the site's
// day in its time zone. Screenshots go to screenshots/ (ignored by git).
import { mkdirSync } from 'node:fs'
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Filter, GoalStats, RangeSummary, Timeseries } from '../../lib/api-types.ts'
import { ADMIN, CHROME_UA, makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { CHROMIUM, chromiumMissing, launchChromium, serve } from '../helpers/browser.ts'
import { ipIn, NETS } from '../helpers/intel.ts'

const SHOTS = new URL('../../screenshots/', import.meta.url).pathname

let t: TestApp
let stop: (() => Promise<void>) | undefined
let base = ''
let browser: Browser

/** One visit: its page views in order (the first with the referrer), then its custom events. */
async function visit(v: { pages: string[]; referrer?: string; net: keyof typeof NETS; events?: string[] }) {
  const vid = rid()
  const sid = rid()
  const headers = { 'X-Forwarded-For': ipIn(NETS[v.net]) }
  for (const [i, path] of v.pages.entries()) {
    await send(t.app, pageview({ vid, sid, url: `https://example.com${path}`, referrer: i === 0 ? (v.referrer ?? '') : '' }), headers).expect(202)
  }
  for (const name of v.events ?? []) {
    await send(t.app, pageview({ vid, sid, type: 'event', name, url: `https://example.com${v.pages.at(-1)}` }), headers).expect(202)
  }
}

if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`)

describe.skipIf(chromiumMissing)('dashboard filters, goals, hours and languages in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    t = await makeApp({ TRUST_PROXY: 'loopback', DEMO: 'false' })
    // Five visitors: two from Google (two Google hosts), one from Bing, two direct; two of them sign up.
    await visit({ pages: ['/', '/blog/post'], referrer: 'https://www.google.com/', net: 'acme', events: ['signup'] })
    await visit({ pages: ['/pricing'], referrer: 'https://www.google.nl/', net: 'comcast' })
    await visit({ pages: ['/'], referrer: 'https://www.bing.com/', net: 'mobile' })
    await visit({ pages: ['/', '/pricing'], net: 'cloud' })
    await visit({ pages: ['/blog/post'], net: 'person', events: ['signup'] })
    await t.flush()
    ;({ base, close: stop } = await serve(t.app))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stop?.()
    await t?.close()
  })

  /** A logged-in page, and every API request it makes from then on. */
  async function loggedIn(locale = 'en-GB'): Promise<{ page: Page; requests: URL[] }> {
    const ctx = await browser.newContext({ userAgent: CHROME_UA, locale, viewport: { width: 1280, height: 1400 } })
    const page = await ctx.newPage()
    const requests: URL[] = []
    page.on('request', (r: Request) => {
      const u = new URL(r.url())
      if (u.pathname.startsWith('/api/')) requests.push(u)
    })
    await page.goto(`${base}/`)
    await page.fill('input[name=email]', ADMIN.email)
    await page.fill('input[name=password]', ADMIN.password)
    await page.click('button[type=submit]')
    await page.waitForSelector('[data-testid=figures]')
    return { page, requests }
  }

  const shown = (page: Page, k: string) => page.getAttribute(`[data-testid=figure-${k}] strong`, 'data-value')
  const get = <R>(page: Page, path: string) => page.evaluate(`fetch(${JSON.stringify(path)}).then((r) => r.json())`) as Promise<R>
  const labels = (page: Page, list: string) => page.$$eval(`[data-testid=list-${list}] li .label`, (els) => els.map((e) => e.textContent))
  /** site=&from=&to= of the range the page shows: of its latest summary request (the one before is of the previous period). */
  const rangeOf = (requests: URL[]) => {
    const u = requests
      .filter((r) => r.pathname === '/api/stats/summary')
      .sort((a, b) => (b.searchParams.get('to') ?? '').localeCompare(a.searchParams.get('to') ?? ''))[0]!
    return `site=${u.searchParams.get('site')}&from=${u.searchParams.get('from')}&to=${u.searchParams.get('to')}`
  }

  // First: realtime counts the visitors of the last 5 minutes, and the visits were just sent.
  it('speaks Dutch: country names, column headers, chips and changes, and never "+∞"', async () => {
    const { page } = await loggedIn('nl-NL')
    await page.waitForSelector('[data-testid=list-countries] li')
    expect(await labels(page, 'countries')).toEqual(expect.arrayContaining(['Nederland', 'Verenigde Staten', 'Verenigd Koninkrijk', 'Duitsland']))
    expect(await page.$$eval('[data-testid=list-countries] .cols span', (els) => els.map((e) => e.textContent))).toEqual(['Land', 'Bezoekers'])
    // The previous 30 days were empty: "nieuw", not an infinite percentage.
    await page.waitForSelector('[data-testid=figure-visitors] .change')
    expect(await page.textContent('[data-testid=figure-visitors] .change')).toBe('nieuw')
    expect(await page.textContent('[data-testid=figures]')).not.toContain('∞')
    expect(await page.textContent('[data-testid=realtime]')).toMatch(/^\s*5 bezoekers in de laatste 5 minuten$/)
    // A country chip in Dutch; the filter itself holds the code.
    await page.click('[data-testid=list-countries] li a.label:text-is("Duitsland")')
    expect(await page.textContent('[data-testid=filter-country] .chip-text')).toBe('Land is Duitsland')
    expect(JSON.parse(new URL(page.url()).searchParams.get('filters') ?? '')).toEqual([['is', 'country', ['DE']]])
    await expect.poll(() => page.textContent('[data-testid=realtime]'), { timeout: 5000 }).toMatch(/^\s*1 bezoeker in de laatste 5 minuten$/)
    expect(await page.textContent('[data-testid=list-sources] h3')).toBe('Bronnen')
    await expect.poll(() => labels(page, 'sources'), { timeout: 5000 }).toEqual(['Direct / geen'])
    await page.screenshot({ path: `${SHOTS}dutch.png`, fullPage: true })
    await page.context().close()
  })

  it('filters the whole dashboard by a clicked source: a chip, the URL, the filtered figures, and back', async () => {
    const { page, requests } = await loggedIn()
    await page.waitForSelector('[data-testid=list-sources] li')
    await expect.poll(() => shown(page, 'visitors'), { timeout: 5000 }).toBe('5')
    // Grouped sources: the two Google hosts are one source; traffic without a referrer is Direct / None.
    expect(await labels(page, 'sources')).toEqual(expect.arrayContaining(['Google', 'Bing', 'Direct / None']))
    const headers = await page.$$eval('[data-testid=list-sources] .cols span', (els) => els.map((e) => e.textContent))
    expect(headers).toEqual(['Source', 'Visitors'])

    requests.length = 0
    await page.click('[data-testid=list-sources] li a.label:text-is("Google")')
    await page.waitForSelector('[data-testid=filter-source]')
    expect(await page.textContent('[data-testid=filter-source] .chip-text')).toBe('Source is Google')
    const want: Filter[] = [['is', 'source', ['Google']]]
    expect(JSON.parse(new URL(page.url()).searchParams.get('filters') ?? '')).toEqual(want)
    // The figures are the filtered API's.
    const filtered = await get<RangeSummary>(page, `/api/stats/summary?${rangeOf(requests)}&filters=${encodeURIComponent(JSON.stringify(want))}`)
    expect(filtered.visitors).toBe(2)
    expect(filtered.pageviews).toBe(3)
    for (const k of ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'] as const) {
      await expect.poll(() => shown(page, k), { timeout: 5000 }).toBe(String(filtered[k]))
    }
    // Every call of the view carries the filter (what was dropped is not filterable, and is not filtered).
    await page.waitForSelector('[data-testid=list-pages] li')
    await expect.poll(() => requests.filter((u) => u.pathname === '/api/stats/realtime').length, { timeout: 5000 }).toBeGreaterThan(0)
    const stats = requests.filter((u) => u.pathname.startsWith('/api/stats/') && u.pathname !== '/api/stats/dropped')
    for (const p of [
      'summary',
      'timeseries',
      'pages',
      'sources',
      'referrers',
      'utm',
      'entry-pages',
      'exit-pages',
      'countries',
      'goals',
      'events',
      'realtime',
    ]) {
      expect(stats.map((u) => u.pathname)).toContain(`/api/stats/${p}`)
    }
    for (const u of stats) expect(`${u.pathname} ${u.searchParams.get('filters')}`).toBe(`${u.pathname} ${JSON.stringify(want)}`)
    await expect.poll(() => labels(page, 'sources'), { timeout: 5000 }).toEqual(['Google'])
    await expect.poll(() => labels(page, 'pages'), { timeout: 5000 }).toEqual(expect.arrayContaining(['/', '/blog/post', '/pricing']))
    await page.screenshot({ path: `${SHOTS}filtered.png`, fullPage: true })

    // The companies inbox asks for the companies of the filtered visits.
    requests.length = 0
    await page.click('nav >> text=Companies')
    await page.waitForSelector('[data-testid=filter-source]')
    await expect.poll(() => requests.find((u) => u.pathname === '/api/companies')?.searchParams.get('filters'), { timeout: 5000 }).toBe(JSON.stringify(want))
    await page.click('nav >> text=Overview')

    // Removing the chip removes the filter from the URL and the figures.
    await page.click('[data-testid=filter-source] button')
    await page.waitForSelector('[data-testid=filter-source]', { state: 'detached' })
    expect(new URL(page.url()).searchParams.has('filters')).toBe(false)
    await expect.poll(() => shown(page, 'visitors'), { timeout: 5000 }).toBe('5')
    await page.context().close()
  })

  it('combines filters: a row of another list adds one, a row of the same list replaces it, and all can be cleared', async () => {
    const { page } = await loggedIn()
    await page.click('[data-testid=list-sources] li a.label:text-is("Google")')
    await page.waitForSelector('[data-testid=filter-source]')
    await expect.poll(() => labels(page, 'sources'), { timeout: 5000 }).toEqual(['Google'])
    await page.click('[data-testid=list-pages] li a.label:text-is("/")')
    await page.waitForSelector('[data-testid=filter-page]')
    expect(JSON.parse(new URL(page.url()).searchParams.get('filters') ?? '')).toEqual([
      ['is', 'source', ['Google']],
      ['is', 'page', ['/']],
    ])
    // Google and the page /: one visitor.
    await expect.poll(() => shown(page, 'visitors'), { timeout: 5000 }).toBe('1')
    // A page filter that matches several pages (as a goal of /blog/* sets): choosing one of them replaces it.
    const contains = JSON.stringify([
      ['is', 'source', ['Google']],
      ['contains', 'page', ['/']],
    ])
    await page.goto(`${base}/?site=example.com&filters=${encodeURIComponent(contains)}`)
    await expect.poll(() => page.textContent('[data-testid=filter-page] .chip-text'), { timeout: 5000 }).toBe('Page contains /')
    await expect.poll(() => labels(page, 'pages'), { timeout: 5000 }).toEqual(expect.arrayContaining(['/', '/blog/post', '/pricing']))
    await page.click('[data-testid=list-pages] li a.label:text-is("/pricing")')
    await expect.poll(() => page.textContent('[data-testid=filter-page] .chip-text'), { timeout: 5000 }).toBe('Page is /pricing')
    expect(await page.$$('[data-testid=filters] .chip')).toHaveLength(2)
    expect(JSON.parse(new URL(page.url()).searchParams.get('filters') ?? '')).toEqual([
      ['is', 'source', ['Google']],
      ['is', 'page', ['/pricing']],
    ])
    await expect.poll(() => shown(page, 'visitors'), { timeout: 5000 }).toBe('1')
    // The filters survive a reload (they are in the URL).
    await page.reload()
    await page.waitForSelector('[data-testid=filter-page]')
    await page.click('[data-testid=clear-filters]')
    await page.waitForSelector('[data-testid=filters]', { state: 'detached' })
    await expect.poll(() => shown(page, 'visitors'), { timeout: 5000 }).toBe('5')
    await page.context().close()
  })

  it("drills down from a source to that source's referrers", async () => {
    const { page } = await loggedIn()
    await page.waitForSelector('[data-testid=list-referrers] li')
    const all = (await labels(page, 'referrers')).join(' ')
    expect(all).toContain('bing')
    await page.click('[data-testid=list-sources] li a.label:text-is("Google")')
    await expect.poll(() => page.textContent('[data-testid=list-referrers] h3'), { timeout: 5000 }).toBe('Referrers: Google')
    await expect.poll(async () => (await labels(page, 'referrers')).length, { timeout: 5000 }).toBe(2)
    const google = await labels(page, 'referrers')
    expect(google.some((r) => r?.includes('google.com'))).toBe(true)
    expect(google.some((r) => r?.includes('google.nl'))).toBe(true)
    expect(google.join(' ')).not.toContain('bing')
    // A referrer is a filter of its own.
    await page.click('[data-testid=list-referrers] li a.label >> text=/google\\.nl/')
    await page.waitForSelector('[data-testid=filter-referrer]')
    await expect.poll(() => shown(page, 'visitors'), { timeout: 5000 }).toBe('1')
    await page.context().close()
  })

  it('lists exit pages and custom events, each with translated column headers', async () => {
    const { page } = await loggedIn()
    await page.waitForSelector('[data-testid=list-exit-pages] li')
    expect(await page.$$eval('[data-testid=list-exit-pages] .cols span', (els) => els.map((e) => e.textContent))).toEqual(['Exit page', 'Exits', 'Exit rate'])
    expect(await labels(page, 'exit-pages')).toEqual(expect.arrayContaining(['/', '/pricing', '/blog/post']))
    await page.waitForSelector('[data-testid=list-events] li')
    expect(await page.$$eval('[data-testid=list-events] .cols span', (els) => els.map((e) => e.textContent))).toEqual(['Event', 'Visitors', 'Events'])
    expect(
      await page.$$eval('[data-testid=list-events] li', (els) => els.map((e) => [...e.querySelectorAll('.label, .num')].map((x) => x.textContent))),
    ).toEqual([['signup', '2', '2']])
    await page.click('[data-testid=list-exit-pages] li a.label:text-is("/pricing")')
    expect(await page.textContent('[data-testid=filter-exit_page] .chip-text')).toBe('Exit page is /pricing')
    await page.context().close()
  })

  it('shows a goal created through the API with its conversions and conversion rate, and an empty state with a link to Settings', async () => {
    const agent = await t.login()
    const goal = await agent.post('/api/sites/example.com/goals').send({ kind: 'event', match: 'signup' }).expect(201)
    try {
      const { page, requests } = await loggedIn()
      await page.waitForSelector('[data-testid=list-goals] li')
      const api = await get<GoalStats>(page, `/api/stats/goals?${rangeOf(requests)}`)
      const row = api.results.find((g) => g.id === goal.body.id)!
      expect(row).toMatchObject({ unique_conversions: 2, total_conversions: 2 })
      expect(row.conversion_rate).toBe(40)
      expect(await page.$$eval('[data-testid=list-goals] .cols span', (els) => els.map((e) => e.textContent))).toEqual([
        'Goal',
        'Uniques',
        'Total',
        'Conversion rate',
      ])
      expect(
        await page.$$eval('[data-testid=list-goals] li', (els) => els.map((e) => [...e.querySelectorAll('.label, .num')].map((x) => x.textContent))),
      ).toEqual([['signup', '2', '2', '40%']])
      // A goal filters by its event.
      await page.click('[data-testid=list-goals] li a.label:text-is("signup")')
      expect(await page.textContent('[data-testid=filter-event] .chip-text')).toBe('Event is signup')
      await expect.poll(() => shown(page, 'visitors'), { timeout: 5000 }).toBe('2')
      await page.screenshot({ path: `${SHOTS}goals.png`, fullPage: true })

      // A site without goals: how to set them up.
      await page.click('[data-testid=clear-filters]')
      await page.selectOption('[data-testid=site-picker]', 'shop.example.org')
      await page.waitForSelector('[data-testid=goals-empty] a')
      await page.click('[data-testid=goals-empty] a')
      await page.waitForURL(/\/settings/)
      await page.waitForSelector('[data-testid=settings]')
      await page.context().close()
    } finally {
      await agent.delete(`/api/sites/example.com/goals/${goal.body.id}`).expect(200)
    }
  })

  it("adds and removes goals and sets a site's time zone in Settings; today is then the site's day", async () => {
    const { page, requests } = await loggedIn()
    await page.click('nav >> text=Settings')
    const card = page.locator('li.site', { has: page.locator('h4', { hasText: /^shop\.example\.org$/ }) })
    await card.locator('[data-testid=goals-settings] select[name=kind]').selectOption('page')
    await card.locator('[data-testid=goals-settings] input[name=match]').fill('/checkout/*')
    await card.locator('[data-testid=goals-settings] button[type=submit]').click()
    await expect.poll(() => card.locator('[data-testid=goal]').allTextContents(), { timeout: 5000 }).toEqual([expect.stringContaining('/checkout/*')])
    const agent = await t.login()
    expect((await agent.get('/api/sites/shop.example.org/goals').expect(200)).body.results).toMatchObject([{ kind: 'page', match: '/checkout/*' }])
    await card.locator('[data-testid=goal] button').click()
    await expect.poll(() => card.locator('[data-testid=goal]').count(), { timeout: 5000 }).toBe(0)

    // A zone whose date differs from UTC's now (+14 h or −11 h).
    const zone = new Date().getUTCHours() >= 11 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago'
    const options = await card.locator('[data-testid=timezone] option').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))
    expect(options[0]).toBe('UTC')
    expect(options).toContain('Europe/Amsterdam')
    await card.locator('[data-testid=timezone]').selectOption(zone)
    await expect.poll(async () => (await agent.get('/api/sites').expect(200)).body.timezones['shop.example.org'], { timeout: 5000 }).toBe(zone)
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
    expect(local).not.toBe(new Date().toISOString().slice(0, 10))

    requests.length = 0
    await page.goto(`${base}/?site=shop.example.org&period=today`)
    await page.waitForSelector('[data-testid=figures]')
    await expect.poll(() => requests.find((u) => u.pathname === '/api/stats/summary')?.searchParams.get('from'), { timeout: 5000 }).toBe(local)
    const summary = requests.find((u) => u.pathname === '/api/stats/summary')!
    expect(summary.searchParams.get('to')).toBe(local)
    await agent.patch('/api/sites/shop.example.org').send({ timezone: 'UTC' }).expect(200)
    await page.context().close()
  })

  it('charts one day (today, yesterday) per hour and longer ranges per day', async () => {
    const { page, requests } = await loggedIn()
    await page.selectOption('[data-testid=period]', 'today')
    await page.waitForSelector('[data-testid=chart][data-interval=hour] canvas')
    const call = requests.filter((u) => u.pathname === '/api/stats/timeseries').at(-1)!
    expect(call.searchParams.get('interval')).toBe('hour')
    const series = await get<Timeseries>(page, `${call.pathname}${call.search}`)
    expect(series.interval).toBe('hour')
    expect(series.results.length).toBe(24)
    expect(series.results[0]!.date).toMatch(/^\d{4}-\d{2}-\d{2} 00:00$/)
    expect(series.results.reduce((n, p) => n + p.pageviews, 0)).toBe(7)
    expect(await page.textContent('[data-testid=chart] >> xpath=..')).toContain('Visitors and page views per hour')
    // The legend names the hour in the chosen language.
    await page.screenshot({ path: `${SHOTS}today.png`, fullPage: true })
    await page.selectOption('[data-testid=period]', 'yesterday')
    await expect
      .poll(
        () =>
          requests
            .filter((u) => u.pathname === '/api/stats/timeseries')
            .at(-1)
            ?.searchParams.get('to'),
        { timeout: 5000 },
      )
      .not.toBe(call.searchParams.get('to'))
    expect(
      requests
        .filter((u) => u.pathname === '/api/stats/timeseries')
        .at(-1)
        ?.searchParams.get('interval'),
    ).toBe('hour')
    await page.selectOption('[data-testid=period]', '30d')
    await page.waitForSelector('[data-testid=chart][data-interval=day] canvas')
    expect(
      requests
        .filter((u) => u.pathname === '/api/stats/timeseries')
        .at(-1)
        ?.searchParams.get('interval'),
    ).toBe('day')
    await page.context().close()
  })
})
