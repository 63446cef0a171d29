// Accounts in Debian's Chromium: after login the registered site is shown, not the demo;
// a user changes their own password under Account; an admin resets a user's password
// from the user list.
import type { Browser, Page } from 'playwright-core'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_SITE } from '../../collector/demo.ts'
import { ADMIN, CHROME_UA, makeApp, type TestApp } from '../helpers/app.ts'
import { CHROMIUM, chromiumMissing, launchChromium, serve } from '../helpers/browser.ts'

const SALES = { email: 'sales@example.com', password: 'sales password' }

let t: TestApp
let stop: (() => Promise<void>) | undefined
let base = ''
let browser: Browser

if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`)

describe.skipIf(chromiumMissing)('accounts in Chromium', () => {
  beforeAll(async () => {
    // One registered site besides the demo: demo.localhost sorts before example.com.
    t = await makeApp({ SITES: 'example.com', DEMO: 'true' })
    await t.deps.users.upsert(SALES.email, SALES.password, 'viewer')
    ;({ base, close: stop } = await serve(t.app))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await stop?.()
    await t?.close()
  })

  async function logIn(page: Page, who: { email: string; password: string }) {
    await page.fill('input[name=email]', who.email)
    await page.fill('input[name=password]', who.password)
    await page.click('button[type=submit]')
    await page.waitForSelector('nav')
  }

  async function newPage(who?: { email: string; password: string }): Promise<Page> {
    const ctx = await browser.newContext({ userAgent: CHROME_UA, locale: 'en-GB', viewport: { width: 1280, height: 900 } })
    const page = await ctx.newPage()
    await page.goto(`${base}/`)
    if (who) await logIn(page, who)
    return page
  }

  it('opens the registered site after login, not the demo', async () => {
    expect(t.deps.sites.list()).toEqual([DEMO_SITE, 'example.com'])
    const page = await newPage(ADMIN)
    await page.waitForURL(/site=/)
    expect(new URL(page.url()).searchParams.get('site')).toBe('example.com')
    expect(await page.inputValue('[data-testid=site-picker]')).toBe('example.com')
    // The demo is still there to pick.
    expect(await page.$$eval('[data-testid=site-picker] option', (os) => os.map((o) => o.textContent))).toEqual([DEMO_SITE, 'example.com'])
    await page.context().close()
  })

  it('opens the demo when it is the only site', async () => {
    await t.deps.sites.remove('example.com')
    try {
      const page = await newPage(ADMIN)
      await page.waitForURL(/site=/)
      expect(new URL(page.url()).searchParams.get('site')).toBe(DEMO_SITE)
      await page.context().close()
    } finally {
      await t.deps.sites.add('example.com')
    }
  })

  it('lets a user change their own password under Account, then log in with it', async () => {
    const page = await newPage(SALES)
    await page.click('nav >> text=Account')
    await page.waitForSelector('[data-testid=account]')
    // Two different new passwords: refused before anything is sent.
    await page.fill('input[name=current]', SALES.password)
    await page.fill('input[name=password]', 'new sales password')
    await page.fill('input[name=repeat]', 'something else')
    await page.click('[data-testid=account] button[type=submit]')
    expect(await page.textContent('[data-testid=account-message]')).toBe('The two new passwords differ.')
    // A wrong current password: the server's answer, and still logged in.
    await page.fill('input[name=current]', 'not my password')
    await page.fill('input[name=repeat]', 'new sales password')
    await page.click('[data-testid=account] button[type=submit]')
    await page.waitForSelector('[data-testid=account-message] >> text=the current password is wrong')
    await page.fill('input[name=current]', SALES.password)
    await page.fill('input[name=password]', 'new sales password')
    await page.fill('input[name=repeat]', 'new sales password')
    await page.click('[data-testid=account] button[type=submit]')
    await page.waitForSelector('[data-testid=account-message] >> text=Password changed')
    // This browser stays logged in (with a new session), and the new password is the one that works.
    await page.click('nav >> text=Overview')
    await page.waitForSelector('[data-testid=figures]')
    await page.click('text=Log out')
    await logIn(page, { email: SALES.email, password: 'new sales password' })
    await page.context().close()
    await request(t.app).post('/api/login').send(SALES).expect(401)
    SALES.password = 'new sales password'
  })

  it("lets an admin reset a user's password from the user list", async () => {
    const forgot = { email: 'forgot@example.com', password: 'forgotten password' }
    await t.deps.users.upsert(forgot.email, forgot.password, 'viewer')
    const theirs = await t.login(t.app, forgot)
    const page = await newPage(ADMIN)
    await page.click('nav >> text=Settings')
    const row = page.locator('[data-testid=user]', { hasText: forgot.email })
    await row.locator('text=Reset password').click()
    await row.locator('input[name=password]').fill('reset by the admin')
    await row.locator('button >> text=Set password').click()
    await row.locator('text=Password set. Sessions logged out: 1').waitFor({ timeout: 8000 })
    // No reset next to the admin's own row: that is under Account, with the current password.
    const own = page.locator('[data-testid=user]', { hasText: ADMIN.email })
    expect(await own.locator('text=Reset password').count()).toBe(0)
    expect(await own.locator('a >> text=Change password').count()).toBe(1)
    await page.context().close()
    await theirs.get('/api/me').expect(401)
    await request(t.app).post('/api/login').send(forgot).expect(401)
    await request(t.app).post('/api/login').send({ email: forgot.email, password: 'reset by the admin' }).expect(200)
  })
})
