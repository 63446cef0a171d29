// The review queue in Settings, in Debian's Chromium: an admin sees an unnamed
// organisation (never the consumer ISP's visit), names it with a name and a domain, and it
// shows under Companies; another one is dismissed. Screenshot in screenshots/ (ignored by git).
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ADMIN, makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { describeInChromium, loggedIn, openInChromium, SHOTS } from '../helpers/browser.ts'
import { fixtureIntel, ipIn, NETS } from '../helpers/intel.ts'

const ZWALUW = { cidr: '198.18.2.0/24', asn: 64510, org: 'Zwaluw Studio B.V.', country: 'NL', city: 'Rotterdam' }
const KESTREL = { cidr: '2001:db8:3::/48', asn: 64511, org: 'Kestrel Analytics GmbH', country: 'DE', city: 'Berlin' }

let t: TestApp
let base = ''
let browser: Browser
let close: (() => Promise<void>) | undefined

describeInChromium('review queue in Chromium', () => {
  beforeAll(async () => {
    const intel = fixtureIntel({ nets: [...Object.values(NETS), ZWALUW, KESTREL] })
    t = await makeApp({ TRUST_PROXY: 'loopback', DEMO: 'false' }, { intel })
    for (const [ip, path] of [
      [ipIn(ZWALUW), '/pricing'],
      [ipIn(ZWALUW, 11), '/'],
      [ipIn(KESTREL), '/docs'],
      [ipIn(NETS.comcast), '/home-user'],
    ] as const) {
      await send(t.app, pageview({ vid: rid(), sid: rid(), url: `https://example.com${path}` }), { 'X-Forwarded-For': ip }).expect(202)
    }
    await t.flush()
    await t.deps.scheduler!.runNow('enrich-visits')
    ;({ base, browser, close } = await openInChromium(t.app))
  })
  afterAll(async () => {
    await close?.()
    await t?.close()
  })

  async function settings(): Promise<Page> {
    const page = await loggedIn(browser, base, ADMIN)
    await page.click('nav >> text=Settings')
    await page.waitForSelector('[data-testid=review-queue]')
    return page
  }

  it('lists unnamed organisations, names one with a name and a domain, and dismisses another', async () => {
    const page = await settings()
    await page.waitForSelector('[data-testid=candidate]')
    const rows = page.locator('[data-testid=candidate]')
    expect(await rows.count()).toBe(2)
    const queue = (await page.textContent('[data-testid=review-queue]')) ?? ''
    expect(queue).toContain('Zwaluw Studio B.V.')
    expect(queue).toContain('AS64510')
    expect(queue).toContain('198.18.2.0/24')
    expect(queue).not.toContain('Comcast')
    expect(queue).not.toContain('/home-user')
    await page.locator('[data-testid=review-queue]').screenshot({ path: `${SHOTS}review-queue.png` })

    const zwaluw = rows.filter({ hasText: 'Zwaluw' })
    await zwaluw.locator('button', { hasText: 'Name' }).click()
    await zwaluw.locator('input[name=name]').fill('Zwaluw Ontwerp')
    await zwaluw.locator('input[name=domain]').fill('zwaluw.nl')
    await zwaluw.locator('button[type=submit]').click()
    await page.waitForSelector('text=Zwaluw Ontwerp: Named')
    await expect.poll(() => rows.count()).toBe(1)

    await rows.filter({ hasText: 'Kestrel' }).locator('button', { hasText: 'Dismiss' }).click()
    await page.waitForSelector('text=No organisations to review in this period.')

    await page.click('nav >> text=Companies')
    await page.waitForSelector('text=Zwaluw Ontwerp')
    await page.context().close()
  })
})
