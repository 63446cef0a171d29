// The sales inbox in Debian's Chromium, as a viewer (a sales user) works it: the row's
// status, source and score explained on hover, a bulk status change, the filter that
// brings ignored companies back, and on the company page status, owner, a note and the
// visit's attribution in the site's named time zone.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { makeApp, pageview, rid, send, type TestApp } from '../helpers/app.ts'
import { describeInChromium, loggedIn, openInChromium, SHOTS } from '../helpers/browser.ts'
import { ipIn, NETS } from '../helpers/intel.ts'

const SALES = { email: 'sales@example.com', password: 'sales password 1' }

let t: TestApp
let base = ''
let browser: Browser
let close: (() => Promise<void>) | undefined

describeInChromium('the inbox in Chromium', () => {
  beforeAll(async () => {
    t = await makeApp({ TRUST_PROXY: 'loopback', DEMO: 'false', SITES: 'example.com@Europe/Amsterdam' })
    await t.deps.users.upsert(SALES.email, SALES.password, 'viewer')
    for (const [net, paths, referrer] of [
      [NETS.acme, ['/', '/pricing'], 'https://www.google.com/'],
      [NETS.university, ['/blog'], ''],
    ] as const) {
      const vid = rid()
      const sid = rid()
      for (const [i, path] of paths.entries()) {
        await send(t.app, pageview({ vid, sid, url: `https://example.com${path}`, referrer: i === 0 ? referrer : '' }), {
          'X-Forwarded-For': ipIn(net),
        }).expect(202)
      }
    }
    await t.flush()
    await t.deps.scheduler!.runNow('enrich-visits')
    ;({ base, browser, close } = await openInChromium(t.app))
  })
  afterAll(async () => {
    await close?.()
    await t?.close()
  })

  async function companies(): Promise<Page> {
    const page = await loggedIn(browser, base, SALES)
    await page.click('nav >> text=Companies')
    await page.waitForSelector('[data-testid=company-row]')
    return page
  }

  const row = (page: Page, name: string) => page.locator('[data-testid=company-row]', { hasText: name })

  it('a viewer sees status, latest source and the lead score explained, and sets a status for the selected rows', async () => {
    const page = await companies()
    const acme = row(page, 'Acme Manufacturing B.V.')
    await expect.poll(() => acme.textContent()).toContain('New')
    expect(await acme.textContent()).toContain('Google')
    expect(await acme.locator('[data-testid=score]').getAttribute('title')).toMatch(/^Pages seen: 8 of 40 · Visits: 6 of 30 · Time on site: [\d.]+ of 30$/)
    await acme.locator('input[type=checkbox]').check()
    await page.waitForSelector('[data-testid=bulk]')
    await page.screenshot({ path: `${SHOTS}inbox.png`, fullPage: true })
    await page.selectOption('[data-testid=bulk] select[aria-label="Set status…"]', 'ignored')
    // Ignored: out of the default view, back with the status filter.
    await expect.poll(async () => page.locator('[data-testid=company-row]').count()).toBe(1)
    await page.selectOption('select[aria-label=Status]', 'ignored')
    await expect.poll(async () => (await page.locator('[data-testid=company-row]').allTextContents()).join()).toContain('Acme')
    expect(await row(page, 'Acme').textContent()).toContain('Ignored')
    await page.context().close()
  })

  it('on the company page a viewer sets status and owner, adds a note, and sees the visit attribution in the named zone', async () => {
    const page = await companies()
    await page.selectOption('select[aria-label=Status]', '')
    await page.click('[data-testid=company-row] a >> text=University of Example')
    await page.waitForSelector('[data-testid=inbox]')
    await page.selectOption('[data-testid=inbox] select[aria-label=Status]', 'follow_up')
    await page.selectOption('[data-testid=inbox] select[aria-label=Owner]', SALES.email)
    await page.fill('[data-testid=notes] textarea', 'Asked for a demo')
    await page.click('[data-testid=notes] button[type=submit]')
    await expect.poll(() => page.textContent('[data-testid=notes] ul')).toContain('Asked for a demo')
    expect(await page.textContent('[data-testid=notes] ul')).toMatch(new RegExp(`${SALES.email} · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\(Europe/Amsterdam\\)`))
    expect(await page.textContent('[data-testid=timezone-named]')).toBe('Times in Europe/Amsterdam')
    expect(await page.textContent('[data-testid=visit-attribution]')).toContain('Direct / None')
    const id = new URL(page.url()).pathname.split('/').pop()!
    const state = (await t.login().then((a) => a.get(`/api/companies/${id}?site=example.com`))).body.inbox
    expect(state).toMatchObject({ status: 'follow_up', owner: SALES.email, updated_by: SALES.email })
    await page.screenshot({ path: `${SHOTS}inbox-company.png`, fullPage: true })
    await page.context().close()
  })
})
