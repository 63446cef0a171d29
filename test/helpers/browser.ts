// Debian's Chromium, driven by playwright-core: no browser download at install time.
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumMissing = !existsSync(CHROMIUM)

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // playwright gives every launch a fresh, empty profile of its own.
    // Without the background-networking flags Chromium keeps trying to reach Google's
    // hosts, which this closed network refuses.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** The app on a free port of 127.0.0.1, for the browser; `close` stops it. */
export async function serve(app: Express): Promise<{ base: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
