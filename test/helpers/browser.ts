// Debian's Chromium, driven by playwright-core: no browser download at install time.
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { CHROME_UA } from './app.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumMissing = !existsSync(CHROMIUM)

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // playwright gives every launch a fresh, empty profile of its own.
    // Without the background-networking flags Chromium keeps trying to reach Google's
    // hosts, which this closed network refuses.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export { serve } from '../../bench/proc.ts'

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
