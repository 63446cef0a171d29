// The automatic events of /script.ext.js (data-outbound, data-downloads, data-404) in a
// real browser: Debian's Chromium through playwright-core, on a site of another origin
// (http://shop.localhost:PORT, a server of the test's own) that loads the real beacon
// from a real Spoor; links to another host lead to http://elsewhere.example, answered in
// the browser's network layer. Each test asserts the requests to /api/event and what
// was stored. The consent is the site's own callback: spoor('consent', true).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CHROME_UA, makeApp, type TestApp } from '../helpers/app.ts'
import { CHROMIUM, chromiumMissing, launchChromium, serve } from '../helpers/browser.ts'

const SITE = 'shop.localhost'
let ORIGIN = ''
const ELSEWHERE = 'http://elsewhere.example'
/** Long enough for the beacon to have sent anything it was going to: it sends within milliseconds. */
const SETTLE_MS = 400
const LONG_URL = `${ELSEWHERE}/search?q=${'x'.repeat(600)}`

/** The script tag's attributes, by the first segment of the page's path. */
const TAGS: Record<string, string> = {
  links: 'data-outbound="true" data-downloads="true"',
  pdfonly: 'data-downloads="pdf, zip"',
  missing: 'data-404="true"',
  all: 'data-outbound="true" data-downloads="true" data-404="true"',
  plain: '',
}

let t: TestApp
let stop: (() => Promise<void>) | undefined
let spoor = ''
let browser: Browser
let siteServer: Server | undefined

if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`)

/** A page of the site; ?consent=queued: the site said yes before the beacon loaded (a stored answer). */
function sitePage(url: URL): string {
  const tag = TAGS[url.pathname.split('/')[1]!] ?? ''
  const queued = url.searchParams.get('consent') === 'queued' ? "spoor('consent', true)" : ''
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop ${url.pathname}</title>
<script>window.spoor=window.spoor||function(){(spoor.q=spoor.q||[]).push(arguments)};${queued}</script>
<script defer src="${spoor}/script.js" data-site="${SITE}" ${tag}></script></head><body>
<a id="out" href="${ELSEWHERE}/page?ref=shop#top">Elsewhere</a>
<a id="nested" href="${ELSEWHERE}/nested"><span id="inner">Nested</span></a>
<a id="long" href="${LONG_URL}">Long</a>
<a id="file" href="/files/Report.PDF?token=secret#p2">Report</a>
<a id="doc" href="/files/notes.docx">Notes</a>
<a id="remote-file" href="${ELSEWHERE}/files/price-list.pdf">Price list</a>
<a id="same" href="/links/pricing">Pricing</a>
</body></html>`
}

interface Sent {
  type: string
  name?: string
  props?: Record<string, string>
  url: string
}

interface Visitor {
  ctx: BrowserContext
  page: Page
  /** Bodies of the POSTs to /api/event, from every tab of this browser, in order. */
  sent: Sent[]
  /** Paths of the scripts loaded from Spoor. */
  scripts: string[]
}

async function visitor(): Promise<Visitor> {
  const ctx = await browser.newContext({ userAgent: CHROME_UA })
  await ctx.route(`${ELSEWHERE}/**`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>Elsewhere</title>Elsewhere' }),
  )
  const page = await ctx.newPage()
  const sent: Sent[] = []
  const scripts: string[] = []
  ctx.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/event')) sent.push(JSON.parse(r.postData() ?? '{}'))
    if (r.url().startsWith(spoor) && r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname)
  })
  return { ctx, page, sent, scripts }
}

/** Opens a page of the site; the load event waits for the script the beacon inserts. */
async function open(v: Visitor, path: string): Promise<void> {
  await v.page.goto(`${ORIGIN}${path}`)
  await v.page.waitForFunction("typeof window.spoor === 'function' && !window.spoor.q")
}

/** Gives consent on the open page and waits for its page view; returns the visitor id. */
async function consent(v: Visitor): Promise<string> {
  await v.page.evaluate("spoor('consent', true)")
  await expect.poll(() => v.sent.some((b) => b.type === 'pageview'), { timeout: 5000 }).toBe(true)
  const id = (await v.ctx.cookies(ORIGIN)).find((c) => c.name === 'spoor_id')!
  return id.value.split('.')[0]!
}

const events = (v: Visitor) => v.sent.filter((b) => b.type === 'event').map((b) => ({ name: b.name, props: b.props }))

/** The custom events stored for a visitor, once `n` of them are there (or after 5 s). */
async function storedEvents(vid: string, n: number) {
  const deadline = Date.now() + 5000
  for (;;) {
    await t.flush()
    const rows = await t.db.query<{ name: string; path: string; url: string; path_prop: string }>(
      "SELECT name, path, props['url'] AS url, props['path'] AS path_prop FROM events WHERE vid = {vid:String} AND type = 'event' ORDER BY ts",
      { vid },
    )
    if (rows.length >= n || Date.now() > deadline) return rows
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.skipIf(chromiumMissing)('automatic events (/script.ext.js) in Chromium', () => {
  beforeAll(async () => {
    t = await makeApp({ SITES: `example.com,${SITE}` })
    ;({ base: spoor, close: stop } = await serve(t.app))
    // The site is served from the loopback address, as Spoor is: Chromium refuses a page
    // of a public address (as one answered by page.route counts) the loopback's scripts.
    siteServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', ORIGIN)
      if (url.pathname.startsWith('/files/')) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('a file')
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(sitePage(url))
    }).listen(0, '127.0.0.1')
    await new Promise((r) => siteServer!.once('listening', r))
    ORIGIN = `http://${SITE}:${(siteServer.address() as AddressInfo).port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => (siteServer ? siteServer.close(r) : r(undefined)))
    await stop?.()
    await t?.close()
  })

  it('is loaded only when the script tag asks for it with data-outbound, data-downloads or data-404', async () => {
    const v = await visitor()
    await open(v, '/plain/')
    expect(v.scripts).toEqual(['/script.js'])
    await open(v, '/links/')
    expect(v.scripts).toEqual(['/script.js', '/script.js', '/script.ext.js'])
    await v.ctx.close()
  })

  it('sends nothing at all without consent: no page view, outbound click, download or 404', async () => {
    const v = await visitor()
    await open(v, '/all/no-such-page')
    expect(v.scripts).toContain('/script.ext.js')
    // A banner that has no answer yet, and values that are no consent.
    await v.page.evaluate("spoor('consent'); spoor('consent', null); spoor('consent', 'false')")
    await v.page.click('#out', { button: 'middle' })
    await v.page.click('#file', { modifiers: ['Control'] })
    await v.page.click('#doc', { modifiers: ['Control'] })
    await v.page.waitForTimeout(SETTLE_MS)
    // A left click leaves the page: still nothing.
    await v.page.click('#out')
    await v.page.waitForURL(`${ELSEWHERE}/**`)
    await v.page.waitForTimeout(SETTLE_MS)
    expect(v.sent).toEqual([])
    expect((await v.ctx.cookies()).filter((c) => c.name.startsWith('spoor_'))).toEqual([])
    expect(await t.count('events', 'site = {site:String}', { site: SITE })).toBe(0)
    await v.ctx.close()
  })

  it('after consent, a click on a link to another host stores "Outbound Link: Click" with the url (no fragment), and the navigation goes ahead', async () => {
    const v = await visitor()
    await open(v, '/links/')
    const vid = await consent(v)
    await v.page.click('#out')
    await v.page.waitForURL(`${ELSEWHERE}/page?ref=shop#top`)
    const url = `${ELSEWHERE}/page?ref=shop`
    expect(events(v)).toEqual([{ name: 'Outbound Link: Click', props: { url } }])
    expect(await storedEvents(vid, 1)).toEqual([{ name: 'Outbound Link: Click', path: '/links/', url, path_prop: '' }])
    await v.ctx.close()
  })

  it('counts a middle click and clicks with modifier keys on an outbound link, and on what is inside it, but not a right click', async () => {
    const v = await visitor()
    await open(v, '/links/')
    const vid = await consent(v)
    await v.page.click('#out', { button: 'middle' })
    await v.page.click('#out', { modifiers: ['Control'] })
    await v.page.click('#inner', { modifiers: ['Shift'] })
    await v.page.click('#out', { button: 'right' })
    await v.page.waitForTimeout(SETTLE_MS)
    const url = `${ELSEWHERE}/page?ref=shop`
    expect(events(v)).toEqual([
      { name: 'Outbound Link: Click', props: { url } },
      { name: 'Outbound Link: Click', props: { url } },
      { name: 'Outbound Link: Click', props: { url: `${ELSEWHERE}/nested` } },
    ])
    expect(await storedEvents(vid, 3)).toHaveLength(3)
    await v.ctx.close()
  })

  it('cuts the url to the 500 characters a property holds, so that a long link is still stored', async () => {
    const v = await visitor()
    await open(v, '/links/')
    const vid = await consent(v)
    await v.page.click('#long', { button: 'middle' })
    const [row] = await storedEvents(vid, 1)
    expect(row?.url).toBe(LONG_URL.slice(0, 500))
    await v.ctx.close()
  })

  it('after consent, a click on a link to a file of a listed type stores "File Download" with the url without query or fragment', async () => {
    const v = await visitor()
    await open(v, '/links/')
    const vid = await consent(v)
    await v.page.click('#doc', { modifiers: ['Control'] })
    // The file type is matched whatever its case; the query (a token) is not sent.
    await v.page.click('#file')
    await v.page.waitForURL(/Report\.PDF/)
    const file = `${ORIGIN}/files/Report.PDF`
    expect(events(v)).toEqual([
      { name: 'File Download', props: { url: `${ORIGIN}/files/notes.docx` } },
      { name: 'File Download', props: { url: file } },
    ])
    expect((await storedEvents(vid, 2)).map((r) => [r.name, r.url])).toEqual([
      ['File Download', `${ORIGIN}/files/notes.docx`],
      ['File Download', file],
    ])
    await v.ctx.close()
  })

  it('data-downloads="pdf, zip" counts those file types only, and without data-outbound a link to another host is counted as a download only', async () => {
    const v = await visitor()
    await open(v, '/pdfonly/')
    await consent(v)
    await v.page.click('#doc', { modifiers: ['Control'] })
    await v.page.click('#out', { modifiers: ['Control'] })
    await v.page.click('#remote-file', { modifiers: ['Control'] })
    await v.page.click('#file', { modifiers: ['Control'] })
    await v.page.waitForTimeout(SETTLE_MS)
    expect(events(v)).toEqual([
      { name: 'File Download', props: { url: `${ELSEWHERE}/files/price-list.pdf` } },
      { name: 'File Download', props: { url: `${ORIGIN}/files/Report.PDF` } },
    ])
    await v.ctx.close()
  })

  it('sends nothing for a link to the same host that is no download', async () => {
    const v = await visitor()
    await open(v, '/links/')
    await consent(v)
    await v.page.click('#same', { modifiers: ['Control'] })
    await v.page.click('#same', { button: 'middle' })
    await v.page.click('#same')
    await v.page.waitForURL(`${ORIGIN}/links/pricing`)
    await v.page.waitForTimeout(SETTLE_MS)
    expect(v.sent.map((b) => b.type)).toEqual(['pageview'])
    await v.ctx.close()
  })

  it('data-404: the page view of this page load is followed by one "404" event with the path, once consent is given', async () => {
    const v = await visitor()
    await open(v, '/missing/no-such-page?from=old-link')
    // The banner is still open: neither the page view nor the 404 is sent.
    await v.page.waitForTimeout(SETTLE_MS)
    expect(v.sent).toEqual([])
    const vid = await consent(v)
    await expect.poll(() => v.sent.length, { timeout: 5000 }).toBe(2)
    expect(v.sent.map((b) => [b.type, b.name, b.props])).toEqual([
      ['pageview', undefined, undefined],
      ['event', '404', { path: '/missing/no-such-page' }],
    ])
    // Once per page load: not again on consent given again or on the next page view.
    await v.page.evaluate("spoor('consent', true); history.pushState({}, '', '/missing/elsewhere')")
    await v.page.waitForTimeout(SETTLE_MS)
    expect(v.sent.map((b) => b.type)).toEqual(['pageview', 'event', 'pageview'])
    expect(await storedEvents(vid, 1)).toEqual([{ name: '404', path: '/missing/no-such-page', url: '', path_prop: '/missing/no-such-page' }])
    await v.ctx.close()
  })

  it('data-404: the 404 event is sent when consent was given before /script.ext.js arrived', async () => {
    const v = await visitor()
    await open(v, '/missing/gone?consent=queued')
    await expect.poll(() => v.sent.length, { timeout: 5000 }).toBe(2)
    await v.page.waitForTimeout(SETTLE_MS)
    expect(v.sent.map((b) => [b.type, b.name, b.props])).toEqual([
      ['pageview', undefined, undefined],
      ['event', '404', { path: '/missing/gone' }],
    ])
    await v.ctx.close()
  })
})
