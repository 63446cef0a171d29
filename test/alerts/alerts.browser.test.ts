// The alerts in Debian's Chromium: an admin makes a trigger in Settings, sends a test to
// a local receiver and sees the delivery; a sales user chooses a digest under Account.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ADMIN, makeApp, type TestApp } from '../helpers/app.ts'
import { describeInChromium, loggedIn, openInChromium } from '../helpers/browser.ts'
import { type Receiver, webhookReceiver } from '../helpers/receivers.ts'

const SALES = { email: 'sales@example.com', password: 'sales password' }
const SECRET = 'a webhook secret of some length'

let t: TestApp
let base = ''
let browser: Browser
let close: (() => Promise<void>) | undefined
let hook: Receiver

describeInChromium('alerts in Chromium', () => {
  beforeAll(async () => {
    t = await makeApp({ SITES: 'example.com', DEMO: 'false' })
    await t.deps.users.upsert(SALES.email, SALES.password, 'viewer')
    ;({ base, browser, close } = await openInChromium(t.app))
    hook = await webhookReceiver(SECRET)
  })
  afterAll(async () => {
    await close?.()
    await t?.close()
    await hook?.close()
  })

  async function page(who: { email: string; password: string }, path: string): Promise<Page> {
    const p = await loggedIn(browser, base, who)
    await p.goto(`${base}${path}`)
    return p
  }

  it('an admin makes a trigger in Settings, sends a test, and sees it delivered', async () => {
    const p = await page(ADMIN, '/settings?site=example.com')
    await p.click('[data-testid=triggers] summary')
    const form = p.locator('[data-testid=triggers] form')
    await form.locator('input[name=name]').fill('Pricing readers')
    await form.locator('input[name=pages]').fill('/pricing*, /contact')
    await form.locator('input[name=webhook]').fill(hook.url)
    await form.locator('input[name=secret]').fill(SECRET)
    await form.locator('button[type=submit]').click()
    await p.waitForSelector('[data-testid=trigger]')
    expect(await p.textContent('[data-testid=trigger]')).toContain('/pricing*, /contact')
    const [trigger] = (await t.login().then((a) => a.get('/api/triggers'))).body.results
    expect(trigger).toMatchObject({
      name: 'Pricing readers',
      when: { pages: ['/pricing*', '/contact'] },
      actions: [{ type: 'webhook', url: hook.url, secret: SECRET }],
    })

    await p.click('[data-testid=trigger] >> text=Send a test')
    await p.waitForSelector('text=Queued')
    await t.deps.deliverer!.runOnce()
    expect(hook.received).toHaveLength(1)
    expect(hook.received[0]!.signed).toBe(true)
    await p.reload()
    await p.waitForSelector('[data-testid=delivery]')
    expect(await p.textContent('[data-testid=delivery]')).toContain('delivered')
    await p.context().close()
  })

  it('a sales user chooses a weekly digest under Account, in the language the dashboard is in', async () => {
    const p = await page(SALES, '/account')
    await p.selectOption('[data-testid=digest] select', 'weekly')
    await p.waitForSelector('[data-testid=digest] >> text=Saved')
    const sales = await t.login(undefined, SALES)
    expect((await sales.get('/api/me/mail').expect(200)).body).toEqual({ digest: 'weekly', lang: 'en' })
    await p.context().close()
  })
})
