// Debian's Chromium, driven by playwright-core: no browser download at install time.
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { describe } from 'vitest'
import { serve } from '../../bench/proc.ts'
import type { App } from '../../server/app.ts'
import { CHROME_UA } from './app.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumMissing = !existsSync(CHROMIUM)

/** Where browser tests put their screenshots (ignored by git), made on first use. */
export const SHOTS = new URL('../../screenshots/', import.meta.url).pathname

/** A describe of browser tests: skipped, with a warning saying why, without Debian's Chromium. */
export function describeInChromium(name: string, fn: () => void): void {
  if (chromiumMissing) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium to run them)`)
  describe.skipIf(chromiumMissing)(name, () => {
    mkdirSync(SHOTS, { recursive: true })
    fn()
  })
}

/** `app` served on a port of 127.0.0.1, and a Chromium to look at it; `close` closes both. */
export async function openInChromium(app: App): Promise<{ base: string; browser: Browser; close(): Promise<void> }> {
  const served = await serve(app)
  const browser = await launchChromium()
  return {
    base: served.base,
    browser,
    async close() {
      await browser.close()
      await served.close()
    },
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // playwright gives every launch a fresh, empty profile of its own.
    // Without the background-networking flags Chromium keeps trying to reach Google's
    // hosts, which this closed network refuses.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export { serve }

/** A new browser context (desktop Chrome, British English) logged in as `who`, its page showing the dashboard. */
export async function loggedIn(browser: Browser, base: string, who: { email: string; password: string }): Promise<Page> {
  const ctx = await browser.newContext({ userAgent: CHROME_UA, locale: 'en-GB', viewport: { width: 1280, height: 900 } })
  const page = await ctx.newPage()
  await page.goto(`${base}/`)
  await page.fill('input[name=email]', who.email)
  await page.fill('input[name=password]', who.password)
  await page.click('button[type=submit]')
  await page.waitForSelector('nav')
  return page
}
