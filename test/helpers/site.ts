// A website of its own for the consent tests, on another origin than Spoor
// (http://shop.localhost:PORT; Chromium resolves *.localhost to the loopback address),
// with a real consent manager wired in as its documentation and Spoor's README say:
//   /cc/…   vanilla-cookieconsent 3 (banner CMP), callback API: spoor('consent', …)
//   /tcf/…  a TCF v2.2 CMP built on the IAB's @iabtechlabtcf/cmpapi and core, data-consent="tcf"
//   /gcm/…  Google Consent Mode v2 through gtag() on dataLayer, data-consent="gcm" (a cookie
//           cmp_gcm=granted stands for a stored answer that the page restores on load)
// ?rev=N is the site's policy revision (the CMP asks again when it changes).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { build } from 'esbuild'

export const SITE = 'shop.localhost'
const require = createRequire(import.meta.url)
const vendor = (path: string) => readFileSync(require.resolve(path), 'utf8')

async function bundle(entry: string): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'iife', target: 'es2020', write: false, logLevel: 'silent' })
  return out.outputFiles[0]!.text
}

/** vanilla-cookieconsent's own configuration, as its documentation shows, plus Spoor's one line. */
function cookieConsentRun(revision: number): string {
  return `
const tell = () => spoor('consent', CookieConsent.acceptedCategory('analytics'), CookieConsent.getCookie('lastConsentTimestamp'))
CookieConsent.run({
  revision: ${revision},
  hideFromBots: false,
  cookie: { expiresAfterDays: 182 },
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: { autoClear: { cookies: [{ name: /^spoor_/ }] } },
  },
  onConsent: tell,
  onChange: tell,
  language: {
    default: 'en',
    translations: {
      en: {
        consentModal: { title: 'We use cookies', description: 'Analytics cookies count visits.', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', showPreferencesBtn: 'Manage preferences' },
        preferencesModal: {
          title: 'Cookie preferences', acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all', savePreferencesBtn: 'Save preferences',
          sections: [
            { title: 'Strictly necessary', description: 'Needed for the site to work.', linkedCategory: 'necessary' },
            { title: 'Analytics', description: 'Counting visits with Spoor.', linkedCategory: 'analytics' },
          ],
        },
      },
    },
  },
})`
}

function page(kind: string, path: string, revision: number, spoor: string): string {
  const head = {
    cc: `<link rel="stylesheet" href="/vendor/cookieconsent.css">
<script defer src="${spoor}/script.js" data-site="${SITE}"></script>
<script defer src="/vendor/cookieconsent.umd.js"></script>
<script defer src="/cc-run.js?rev=${revision}"></script>`,
    tcf: `<script src="/tcf-cmp.js" data-revision="${revision}" data-days="182"></script>
<script defer src="${spoor}/script.js" data-site="${SITE}" data-consent="tcf"></script>`,
    gcm: `<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments)}
gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' })
// A consent manager that restores a stored answer at once, before Spoor's scripts run.
if (document.cookie.indexOf('cmp_gcm=granted') >= 0) gtag('consent', 'update', { analytics_storage: 'granted' })</script>
<script defer src="${spoor}/script.js" data-site="${SITE}" data-consent="gcm"></script>`,
  }[kind]
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop ${path}</title>
<script>window.spoor=window.spoor||function(){(spoor.q=spoor.q||[]).push(arguments)}</script>
${head}</head><body><h1>Shop: ${path}</h1>
<nav><a id="home" href="/${kind}/?rev=${revision}">Home</a> <a id="pricing" href="/${kind}/pricing?rev=${revision}">Pricing</a></nav>
</body></html>`
}

export async function serveSite(
  spoor: string,
): Promise<{ url: (kind: 'cc' | 'tcf' | 'gcm', path?: string, revision?: number) => string; close: () => Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/vendor/cookieconsent.umd.js': ['application/javascript', vendor('vanilla-cookieconsent/dist/cookieconsent.umd.js')],
    '/vendor/cookieconsent.css': ['text/css', vendor('vanilla-cookieconsent/dist/cookieconsent.css')],
    '/tcf-cmp.js': ['application/javascript', await bundle(new URL('../pages/tcf-cmp.ts', import.meta.url).pathname)],
  }
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const revision = Number(u.searchParams.get('rev') ?? '1')
    const file = files[u.pathname]
    const [type, body] =
      file ??
      (u.pathname === '/cc-run.js' ? ['application/javascript', cookieConsentRun(revision)] : undefined) ??
      (/^\/(cc|tcf|gcm)\//.test(u.pathname) ? ['text/html', page(u.pathname.split('/')[1]!, u.pathname, revision, spoor)] : ['text/plain', 'not found'])
    res.writeHead(body === 'not found' ? 404 : 200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' }).end(body)
  })
  server.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: (kind, path = '', revision = 1) => `http://${SITE}:${port}/${kind}/${path}?rev=${revision}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
