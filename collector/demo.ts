// /demo: a page of a pretend site with the beacon and a small consent banner, so a
// newcomer can watch consent at work without a site of their own. Its site is
// registered at start (DEMO_SITE). No inline script: the banner is /demo/banner.js.
import { Router } from 'express'
import { escapeHtml as h } from '../lib/html.ts'

export const DEMO_SITE = 'demo.localhost'

const PAGES = new Map<string, { title: string; body: string }>(
  Object.entries({
    '': { title: 'Welcome', body: 'This is the Spoor demo site. Accept analytics cookies below, then browse a few pages and open the dashboard.' },
    pricing: { title: 'Pricing', body: 'Companies recognise their interest on pricing pages: this is the page sales teams watch.' },
    about: { title: 'About us', body: 'A pretend company page, so that the demo has more than one page to count.' },
    contact: {
      title: 'Contact',
      body: 'Ask for a quote. With analytics consent, Spoor learns only the domain of the e-mail address (never the address) to recognise companies.',
    },
  }),
)

// The contact form posts here; the demo keeps nothing of it.
const THANKS = { title: 'Thank you', body: 'Nothing of this form was kept by the demo. Spoor received only the e-mail domain, if you gave analytics consent.' }

const BANNER_JS = `(function () {
  var KEY = 'demo_consent'
  function choice() { var m = document.cookie.match('(?:^|; )' + KEY + '=([^;]*)'); return m ? m[1] : '' }
  function remember(v) { document.cookie = KEY + '=' + v + ';path=/;max-age=15552000;samesite=lax' }
  var banner = document.getElementById('consent-banner')
  var state = document.getElementById('consent-state')
  function show() {
    var c = choice()
    banner.hidden = c !== ''
    state.textContent = c === 'yes' ? 'Analytics consent given: page views are counted.' : c === 'no' ? 'Analytics consent refused: nothing is sent.' : 'No choice yet: nothing is sent until you accept.'
  }
  document.getElementById('accept').addEventListener('click', function () { remember('yes'); spoor('consent', true); show() })
  document.getElementById('decline').addEventListener('click', function () { remember('no'); spoor('consent', false); show() })
  document.getElementById('change').addEventListener('click', function () { remember(''); document.cookie = KEY + '=;path=/;max-age=0'; spoor('consent', false); show() })
  if (choice() === 'yes') spoor('consent', true)
  show()
})()
`
const QUEUE_JS = 'window.spoor=window.spoor||function(){(window.spoor.q=window.spoor.q||[]).push(arguments)};\n'

function demoPage(slug: string, title: string, body: string): string {
  const nav = [...PAGES].map(([s, p]) => (s === slug ? `<strong>${h(p.title)}</strong>` : `<a href="/demo${s ? `/${s}` : ''}">${h(p.title)}</a>`)).join(' · ')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)} · Spoor demo</title>
<script src="/demo/queue.js"></script>
<script defer src="/script.js" data-site="${DEMO_SITE}"></script>
<script defer src="/demo/banner.js"></script>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
#consent-banner{position:fixed;left:1rem;right:1rem;bottom:1rem;padding:1rem;border-radius:.6rem;background:#1d2433;color:#fff}
button{font:inherit;padding:.4rem .9rem;margin-right:.5rem;border-radius:.4rem;border:0;cursor:pointer}
#accept{background:#4ade80}.muted{color:#5b6475}</style></head>
<body><nav>${nav}</nav>
<h1>${h(title)}</h1><p>${h(body)}</p>
${slug === 'contact' ? '<form id="quote" method="post" action="/demo/thanks"><label>E-mail <input type="email" name="email" required></label> <button type="submit">Request a quote</button></form>' : ''}
<p id="consent-state" class="muted" role="status"></p>
<p><button id="change" type="button">Change my cookie choice</button></p>
<p class="muted">The site's privacy policy links to the <a href="/optout?return=%2Fdemo">opt-out page</a>. The dashboard API is at <code>/api/stats/summary?site=${DEMO_SITE}</code> after logging in.</p>
<div id="consent-banner" hidden><p>May we count your visit with analytics cookies? Nothing is sent unless you accept.</p>
<button id="accept" type="button">Accept analytics</button><button id="decline" type="button">Decline</button></div>
</body></html>`
}

export function demoRouter(): Router {
  const r = Router()
  const js = (src: string) => (_req: unknown, res: import('express').Response) =>
    void res.type('application/javascript').set('Cache-Control', 'no-cache').send(src)
  r.get('/demo/banner.js', js(BANNER_JS))
  r.get('/demo/queue.js', js(QUEUE_JS))
  r.post('/demo/thanks', (_req, res) => void res.type('html').send(demoPage('thanks', THANKS.title, THANKS.body)))
  r.get(['/demo', '/demo/:page'], (req, res) => {
    const slug = String(req.params.page ?? '')
    const p = PAGES.get(slug)
    if (!p)
      return void res
        .status(404)
        .type('html')
        .send(demoPage(slug, 'Not found', 'This demo page does not exist.'))
    res.type('html').send(demoPage(slug, p.title, p.body))
  })
  return r
}
