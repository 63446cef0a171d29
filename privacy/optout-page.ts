// The opt-out page a site links from its privacy policy: GET /optout shows what is
// collected and this browser's state, POST /optout opts out (or back in).
import express, { type Request, type Response, Router } from 'express'
import type { Config } from '../lib/config.ts'
import { HttpError } from '../lib/errors.ts'
import { escapeHtml as h } from '../lib/html.ts'
import { isOwnOrigin, servedOverHttps } from '../lib/origin.ts'
import { perMinute } from '../lib/rate-limit.ts'
import type { Sites } from '../lib/sites.ts'
import { isToken, TOKEN_RULE } from '../lib/validate.ts'
import type { Optouts } from './optouts.ts'
import type { EventWriter } from '../collector/writer.ts'
import type { IpIntel } from '../enrichment/lookup.ts'
import { addSuppressions } from '../enrichment/suppress.ts'
import type { Logger } from '../lib/logger.ts'
import { audit } from './audit.ts'
import { erase } from './routes.ts'
import { vidHash } from './hash.ts'
import type { Db } from '../lib/db.ts'
import { clientIp } from '../lib/client-ip.ts'

export const OPTOUT_COOKIE = 'spoor_optout'
// 400 days: the longest any browser keeps a cookie (Chrome caps Max-Age there).
const OPTOUT_MAX_AGE_MS = 400 * 24 * 3600 * 1000

type Lang = 'en' | 'nl'

// The opt-out page's one script (the content security policy allows no inline script):
// the visitor id from the link's fragment into the forms, then out of the address bar.
const OPTOUT_JS = `(function () {
  var m = /^#vid=([A-Za-z0-9_-]{8,64})$/.exec(location.hash)
  if (!m) return
  var vid = m[1]
  document.querySelectorAll('input[name=vid]').forEach(function (i) { i.value = vid })
  document.querySelectorAll('[data-vid]').forEach(function (e) { e.hidden = false })
  document.querySelectorAll('[data-novid]').forEach(function (e) { e.hidden = true })
  document.querySelectorAll('input[name=erase]').forEach(function (i) { i.checked = true })
  var p = document.getElementById('vid-prefix')
  if (p) p.textContent = vid.slice(0, 8)
  var lang = document.querySelector('a[hreflang]')
  if (lang) lang.href += '#vid=' + vid
  history.replaceState(history.state, '', location.pathname + location.search)
})()
`

const TEXT = {
  en: {
    title: 'Website statistics: your choice',
    intro: 'This website uses Spoor to count visits, but only after you agreed to analytics cookies.',
    whatTitle: 'What is collected',
    what: [
      'the pages you visit, when, and the site you came from;',
      'your browser, operating system, device type and screen width;',
      'the country and city derived from your IP address;',
      'if your IP address belongs to a company network, the name of that company (never for home or mobile connections).',
    ],
    keep: (days: number) =>
      `Your full IP address is deleted within ${days} days. Nothing is sold or shared with third parties, and the data stays on this organisation's own server in the EU.`,
    rights: 'You may withdraw your consent at any time, and ask the site owner to show, correct or erase your data.',
    statusOut: 'This browser is opted out: no visits are counted.',
    statusIn: 'This browser is not opted out.',
    optout: 'Opt out of statistics',
    optin: 'Opt back in',
    doneOut: 'Done: you are opted out. We will not count visits from this browser.',
    doneOutErased: (n: number) => `Done: you are opted out, and the data stored under this visitor id is erased (${n} page views and events).`,
    erasurePending: 'Your erasure is recorded. The database is catching up, so it is carried out within a few minutes; nothing more is collected meanwhile.',
    alsoErase: 'Also erase everything already stored under this visitor id',
    names: ['This page is about the visitor id ', '…, the one this browser had when you followed the link.'],
    namesNone:
      'This page names no visitor id (you did not come from the site’s link, or the site never counted you): the opt-out covers this browser through its cookie only.',
    scope:
      'An opt-out or an erasure covers the visitor id it names, and nothing else. Your browser gets a new id when you consent again on the site (for instance after its policy changed), clear cookies, or use another browser or device; an earlier opt-out or erasure does not cover those. To cover them, follow the link from the site again in that browser.',
    doneIn: 'Done: you are opted back in. Visits count again once you give consent on the site.',
    other: 'Nederlands',
    back: (site: string) => `Back to ${site}`,
    orgTitle: 'Your organisation',
    orgIntro: (name: string) =>
      `Your network belongs to ${name}. Spoor can show the sales team of this website that someone from ${name} visited (never who). Your organisation can ask not to be recognised.`,
    orgButton: 'Stop recognising my organisation',
    doneOrg: 'Done: visits from your organisation are no longer recognised, and what was recorded of it is removed.',
    dataTitle: 'Your data',
    dataIntro: 'This browser’s visits are stored under a random visitor id. You can download everything stored for it, or have it erased.',
    download: 'Download my data',
    erase: 'Erase my data',
    doneErase: (n: number) => `Done: your data is erased (${n} page views and events), and the statistics no longer count you.`,
  },
  nl: {
    title: 'Websitestatistieken: uw keuze',
    intro: 'Deze website gebruikt Spoor om bezoeken te tellen, maar alleen nadat u toestemming gaf voor analytische cookies.',
    whatTitle: 'Wat wordt verzameld',
    what: [
      'de pagina’s die u bezoekt, wanneer, en de site waar u vandaan kwam;',
      'uw browser, besturingssysteem, soort apparaat en schermbreedte;',
      'het land en de plaats die uit uw IP-adres volgen;',
      'als uw IP-adres bij een bedrijfsnetwerk hoort, de naam van dat bedrijf (nooit bij thuis- of mobiele verbindingen).',
    ],
    keep: (days: number) =>
      `Uw volledige IP-adres wordt binnen ${days} dagen verwijderd. Niets wordt verkocht of met derden gedeeld, en de gegevens blijven op de eigen server van deze organisatie in de EU.`,
    rights: 'U kunt uw toestemming altijd intrekken, en de eigenaar van de site vragen uw gegevens in te zien, te verbeteren of te wissen.',
    statusOut: 'Deze browser is afgemeld: bezoeken worden niet geteld.',
    statusIn: 'Deze browser is niet afgemeld.',
    optout: 'Afmelden voor statistieken',
    optin: 'Weer aanmelden',
    doneOut: 'Gelukt: u bent afgemeld. Bezoeken vanuit deze browser tellen we niet meer.',
    doneOutErased: (n: number) => `Gelukt: u bent afgemeld, en de gegevens onder deze bezoekers-id zijn gewist (${n} paginaweergaven en gebeurtenissen).`,
    erasurePending:
      'Uw verzoek tot wissen is vastgelegd. De database loopt wat achter, dus het wordt binnen enkele minuten uitgevoerd; intussen wordt niets meer verzameld.',
    alsoErase: 'Wis ook alles wat al onder deze bezoekers-id is opgeslagen',
    names: ['Deze pagina gaat over bezoekers-id ', '…, de id die deze browser had toen u de link volgde.'],
    namesNone:
      'Deze pagina noemt geen bezoekers-id (u kwam niet via de link van de site, of de site heeft u nooit geteld): de afmelding geldt dan alleen via het cookie van deze browser.',
    scope:
      'Een afmelding of wissing geldt voor de bezoekers-id die ze noemt, en voor niets anders. Uw browser krijgt een nieuwe id als u op de site opnieuw toestemming geeft (bijvoorbeeld na een gewijzigd beleid), cookies wist, of een andere browser of ander apparaat gebruikt; een eerdere afmelding of wissing geldt daar niet voor. Volg daarvoor de link van de site opnieuw in die browser.',
    doneIn: 'Gelukt: u bent weer aangemeld. Bezoeken tellen weer zodra u op de site toestemming geeft.',
    other: 'English',
    back: (site: string) => `Terug naar ${site}`,
    orgTitle: 'Uw organisatie',
    orgIntro: (name: string) =>
      `Uw netwerk hoort bij ${name}. Spoor kan het verkoopteam van deze website laten zien dat iemand van ${name} de site bezocht (nooit wie). Uw organisatie kan vragen niet herkend te worden.`,
    orgButton: 'Mijn organisatie niet meer herkennen',
    doneOrg: 'Gelukt: bezoeken vanuit uw organisatie worden niet meer herkend, en wat ervan was vastgelegd is verwijderd.',
    dataTitle: 'Uw gegevens',
    dataIntro:
      'De bezoeken van deze browser zijn opgeslagen onder een willekeurige bezoekers-id. U kunt alles downloaden wat daaronder is opgeslagen, of het laten wissen.',
    download: 'Mijn gegevens downloaden',
    erase: 'Mijn gegevens wissen',
    doneErase: (n: number) => `Gelukt: uw gegevens zijn gewist (${n} paginaweergaven en gebeurtenissen), en de statistieken tellen u niet meer mee.`,
  },
} as const

function pickLang(req: Request): Lang {
  const q = req.query.lang ?? (req.body as { lang?: unknown } | undefined)?.lang
  if (q === 'nl' || q === 'en') return q
  return req.acceptsLanguages('en', 'nl') === 'nl' ? 'nl' : 'en'
}

function vidFrom(v: unknown): string | undefined {
  return isToken(v) ? v : undefined
}

/** The visitor id in the beacon's spoor_id cookie ("<id>.<consent time>"), when Spoor shares the site's host. */
function cookieVid(req: Request): string | undefined {
  const c: unknown = req.cookies?.spoor_id
  return typeof c === 'string' ? vidFrom(c.split('.')[0]) : undefined
}

/**
 * Sets the opt-out cookie on Spoor's domain and records the visitor id, if any.
 * Over HTTPS the cookie is SameSite=None, so that it also travels with the beacon
 * from sites on other domains (where the browser still allows third-party cookies;
 * Safari and Firefox do not, which is why the visitor id list and the site's own
 * spoor_optout cookie exist).
 */
export async function recordOptout(
  req: Request,
  res: Response,
  deps: { optouts: Optouts; db: Db; config: Pick<Config, 'publicUrl'>; writer: Pick<EventWriter, 'flush'> },
  vid: string | undefined,
  via: 'beacon' | 'page',
): Promise<void> {
  // Not HttpOnly: when Spoor shares the site's host, the beacon must see it (and may set it).
  const secure = servedOverHttps(req, deps.config.publicUrl)
  res.cookie(OPTOUT_COOKIE, '1', { maxAge: OPTOUT_MAX_AGE_MS, httpOnly: false, sameSite: secure ? 'none' : 'lax', secure, path: '/' })
  if (!vid) return
  // Only an id that was stored goes on the list (its last events may still be in the
  // journal: written first). Nothing is recorded of one that never was, not even in the
  // audit log: a stream of random ids must not grow anything.
  // When the journal cannot be written now, the id's events may still be in it: listed all the same.
  const flushed = await deps.writer.flush().then(
    () => true,
    () => false,
  )
  if (flushed && !(await deps.optouts.seen(vid))) return
  await deps.optouts.add(vid)
  await audit(deps.db, 'optout', vidHash(vid), 'visitor', { via })
}

/**
 * A page to return to (the privacy policy): on a registered site, or on Spoor's own
 * origin (the demo). Resolved with the URL parser against PUBLIC_URL, as a browser
 * would: "/\t/evil.example/" is "//evil.example/" to a browser (tabs and line breaks
 * are dropped, "\" is "/"), so such characters refuse the value. Anything else is
 * ignored: never an open redirect.
 */
function returnUrl(v: unknown, sites: Sites, publicUrl: string): { url: string; site: string } | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (typeof v !== 'string' || v.length > 2048 || /[\u0000-\u001f\u007f\\]/.test(v)) return undefined
  if (!URL.canParse(v, publicUrl)) return undefined
  const u = new URL(v, publicUrl)
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined
  u.hash = ''
  // A path of Spoor's own, given as a path: never one that a browser reads as another host ("//evil.example/").
  if (u.origin === new URL(publicUrl).origin) return u.pathname.startsWith('//') ? undefined : { url: u.pathname + u.search, site: u.pathname }
  const site = sites.siteForHost(u.hostname)
  return site ? { url: u.href, site } : undefined
}

/**
 * Only this page's own form may change the choice: a forged cross-site post could
 * opt a visitor back in. Browsers say where a post came from in Origin (the page
 * sends Referrer-Policy: same-origin so that they do) and in Sec-Fetch-Site; an
 * Origin of "null" (a sandboxed frame, or a no-referrer page) counts only when
 * Sec-Fetch-Site vouches for it. Requests with neither header are not from a browser.
 */
function sameOriginPost(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin')
  const fetchSite = req.get('sec-fetch-site')
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false
  if (origin === undefined) return true
  if (origin === 'null') return fetchSite === 'same-origin'
  return isOwnOrigin(origin, req, publicUrl)
}

function page(
  lang: Lang,
  opts: {
    optedOut: boolean
    vid: string | undefined
    done: string | undefined
    erased: number
    alsoErased: boolean
    erasurePending: boolean
    ipDays: number
    back: { url: string; site: string } | undefined
    organisation: string | null
  },
): string {
  const t = TEXT[lang]
  const other: Lang = lang === 'en' ? 'nl' : 'en'
  // The visitor id comes in the link's fragment (#vid=…), which no server, proxy log or
  // Referer sees; /optout.js puts it into these fields and shows what needs it. Rendered
  // here only when Spoor shares the site's host and reads it from the cookie.
  const vidField = `<input type="hidden" name="vid" value="${h(opts.vid ?? '')}">`
  const withVid = (html: string) => `<div data-vid${opts.vid ? '' : ' hidden'}>${html}</div>`
  const returnField = opts.back ? `<input type="hidden" name="return" value="${h(opts.back.url)}">` : ''
  const switchHref = `/optout?lang=${other}${opts.back ? `&return=${encodeURIComponent(opts.back.url)}` : ''}`
  // Back on the site, the beacon sees #spoor-optout and sets the site's own spoor_optout cookie.
  const backLink = opts.back
    ? `<p><a id="back" href="${h(opts.back.url + (opts.done === 'optout' ? '#spoor-optout' : ''))}">${h(t.back(opts.back.site))}</a></p>`
    : ''
  const done = opts.erasurePending
    ? opts.done === 'optout'
      ? `${t.doneOut} ${t.erasurePending}`
      : t.erasurePending
    : opts.done === 'optout'
      ? opts.alsoErased
        ? t.doneOutErased(opts.erased)
        : t.doneOut
      : opts.done === 'optin'
        ? t.doneIn
        : opts.done === 'organisation'
          ? t.doneOrg
          : opts.done === 'erase'
            ? t.doneErase(opts.erased)
            : ''
  // Download and erasure need the visitor id. The download is a POST: the id is a
  // bearer token for the visitor's history and stays out of URLs.
  const data = withVid(`<h2>${h(t.dataTitle)}</h2><p>${h(t.dataIntro)}</p>
<form method="post" action="/api/privacy/export">${vidField}<button class="secondary" type="submit">${h(t.download)}</button></form>
<form method="post" action="/optout"><input type="hidden" name="lang" value="${lang}">${vidField}${returnField}
<button class="secondary" name="action" value="erase">${h(t.erase)}</button></form>`)
  // Shown only to visitors whose network Spoor would name as a company.
  const org = opts.organisation
    ? `<h2>${h(t.orgTitle)}</h2><p>${h(t.orgIntro(opts.organisation))}</p>
<form method="post" action="/optout"><input type="hidden" name="lang" value="${lang}">${returnField}
<button class="secondary" name="action" value="organisation">${h(t.orgButton)}</button></form>
<p class="muted"><a href="https://db-ip.com">IP Geolocation by DB-IP</a></p>`
    : ''
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(t.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
.status{padding:.75rem 1rem;border-radius:.5rem;background:#eef2f7}.done{background:#e3f6e8}
button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid #3554d1;background:#3554d1;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#3554d1}nav{text-align:right}</style>
<script src="/optout.js" defer></script></head>
<body><nav><a href="${h(switchHref)}" hreflang="${other}">${h(t.other)}</a></nav>
<h1>${h(t.title)}</h1>
${done ? `<p class="status done" role="status">${h(done)}</p>` : ''}
<p>${h(t.intro)}</p>
<h2>${h(t.whatTitle)}</h2>
<ul>${t.what.map((w) => `<li>${h(w)}</li>`).join('')}</ul>
<p>${h(t.keep(opts.ipDays))}</p>
<p>${h(t.rights)}</p>
<p class="status" id="state">${h(opts.optedOut ? t.statusOut : t.statusIn)}</p>
${withVid(`<p>${h(t.names[0])}<code id="vid-prefix">${h((opts.vid ?? '').slice(0, 8))}</code>${h(t.names[1])}</p>`)}
<p data-novid${opts.vid ? ' hidden' : ''}>${h(t.namesNone)}</p>
<p id="scope">${h(t.scope)}</p>
<form method="post" action="/optout">
<input type="hidden" name="lang" value="${lang}">${vidField}${returnField}
${
  opts.optedOut
    ? `<button class="secondary" name="action" value="optin">${h(t.optin)}</button>`
    : `${withVid(`<p><label><input type="checkbox" name="erase" value="1"${opts.vid ? ' checked' : ''}> ${h(t.alsoErase)}</label></p>`)}<button name="action" value="optout">${h(t.optout)}</button>`
}
</form>
${data}
${org}
${backLink}
</body></html>`
}

export function optoutRouter(deps: {
  optouts: Optouts
  sites: Sites
  config: Pick<Config, 'ipRetentionDays' | 'publicUrl' | 'rawRetentionDays' | 'clickhouse'>
  intel: IpIntel
  db: Db
  log: Logger
  writer: Pick<EventWriter, 'flush'>
}): Router {
  const r = Router()
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 })

  r.get('/optout.js', (_req, res) => void res.type('application/javascript').set('Cache-Control', 'public, max-age=3600').send(OPTOUT_JS))

  r.get('/optout', async (req, res) => {
    const lang = pickLang(req)
    // The visitor id comes from the link the beacon extended, or from the beacon's own
    // cookie when Spoor is served under the site's host.
    // Never from the query string (it would sit in access logs and Referer headers): the
    // fragment, read by /optout.js, or Spoor's own cookie when it shares the site's host.
    const vid = cookieVid(req)
    const optedOut = req.cookies?.[OPTOUT_COOKIE] === '1' || (vid !== undefined && deps.optouts.has(vid))
    const done = typeof req.query.done === 'string' ? req.query.done : undefined
    const back = returnUrl(req.query.return, deps.sites, deps.config.publicUrl)
    // The address is looked up here and forgotten: it is neither stored nor logged.
    const ip = clientIp(req)
    const organisation = ip ? ((await deps.intel.lookupIp(ip, { rdns: false })).company?.name ?? null) : null
    const erased = /^\d{1,9}$/.test(String(req.query.erased)) ? Number(req.query.erased) : 0
    const alsoErased = req.query.erased !== undefined && done === 'optout'
    const erasurePending = req.query.erasure === 'pending'
    res
      .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' })
      .type('html')
      .send(page(lang, { optedOut, vid, done, erased, alsoErased, erasurePending, ipDays: deps.config.ipRetentionDays, back, organisation }))
  })

  // 20 a minute per client network: erasure and organisation opt-outs cost work.
  r.post('/optout', perMinute(20, 'opt-out requests'), form, async (req, res) => {
    if (!sameOriginPost(req, deps.config.publicUrl)) throw new HttpError(403, 'the opt-out form must be sent from the opt-out page itself')
    const body = (req.body ?? {}) as Record<string, unknown>
    const action = body.action
    if (action !== 'optout' && action !== 'optin' && action !== 'organisation' && action !== 'erase') {
      throw new HttpError(400, 'action must be "optout", "optin", "organisation" or "erase"', 'action')
    }
    if (body.vid === '') delete body.vid
    if (body.vid !== undefined && vidFrom(body.vid) === undefined) throw new HttpError(400, `vid ${TOKEN_RULE}`, 'vid')
    if (body.erase !== undefined && body.erase !== '1') throw new HttpError(400, 'erase must be "1" or left out', 'erase')
    const vid = vidFrom(body.vid) ?? cookieVid(req)
    const back = returnUrl(body.return, deps.sites, deps.config.publicUrl)
    const lang = pickLang(req)
    let erased = 0
    let pending = false
    const eraseNow = async (id: string) => {
      const r = await erase(deps, id, 'visitor')
      erased = r.events
      pending = r.status === 'pending'
    }
    if (action === 'erase') {
      if (!vid) throw new HttpError(400, 'erasure needs the visitor id: follow the opt-out link from the site, or ask the site owner', 'vid')
      await eraseNow(vid)
    } else if (action === 'organisation') {
      const ip = clientIp(req)
      const found = ip ? await deps.intel.lookupIp(ip, { rdns: false }) : null
      if (found?.company && found.network) {
        await addSuppressions(
          deps.db,
          deps.intel.parts.knowledge,
          'asked on the opt-out page',
          [
            ['company', found.company.id],
            ['range', found.network],
          ],
          'visitor',
        )
      }
    } else if (action === 'optout') {
      await recordOptout(req, res, deps, vid, 'page')
      // The page offers erasure in the same step (checked by default): the opt-out stops
      // what comes, the erasure removes what this visitor id already has.
      if (body.erase === '1' && vid) await eraseNow(vid)
    } else {
      res.clearCookie(OPTOUT_COOKIE, { path: '/' })
      if (vid) await deps.optouts.remove(vid)
      await audit(deps.db, 'optin', vid ? vidHash(vid) : '', 'visitor')
    }
    const erasedToo = !pending && (action === 'erase' || (action === 'optout' && body.erase === '1' && vid !== undefined))
    res.redirect(
      303,
      `/optout?lang=${lang}&done=${action}${erasedToo ? `&erased=${erased}` : ''}${pending ? '&erasure=pending' : ''}${back ? `&return=${encodeURIComponent(back.url)}` : ''}${vid ? `#vid=${encodeURIComponent(vid)}` : ''}`,
    )
  })
  return r
}
