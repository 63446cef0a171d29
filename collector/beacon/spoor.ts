// The Spoor beacon, served minified as /script.js. Budget: 1.5 KB gzipped.
// Nothing is sent and no cookie is written before the site's consent manager says, on
// this page load, that analytics consent is given now: spoor('consent', true) from the
// site, or from the adapter that data-consent="tcf" | "gcm" loads (/consent/NAME.js).
// A cookie of Spoor's own is never taken as consent: a record the consent manager let
// expire, or a policy it changed, would otherwise be counted before the new answer.
// Commands queued before this script loaded (window.spoor.q) are replayed. The automatic
// events (outbound links, downloads, 404) are in /script.ext.js (extensions.ts), loaded
// only for data-outbound, data-downloads or data-404: there is no room for them here.
interface SpoorFn {
  (cmd: string, a?: unknown, b?: unknown): void
  q?: IArguments[]
  // Read by /script.ext.js:
  /** The path (and query) of the last page view sent on this page load. */
  p?: string
  /** The value of a data-* attribute of the beacon's script tag ('' if none). */
  a?: (k: string) => string
}
interface SpoorWindow extends Window {
  spoor?: SpoorFn
}

;((w: SpoorWindow, d: Document, l: Location) => {
  const script = d.currentScript as HTMLScriptElement | null
  const attr = (k: string) => (script && script.getAttribute('data-' + k)) || ''
  const base = attr('api') || (script ? new URL(script.src).origin : '')
  const site = attr('site') || l.hostname.replace(/^www\./, '')
  const ID = 'spoor_id'
  const SES = 'spoor_ses'
  const OPTOUT = 'spoor_optout'
  const queued = (w.spoor && w.spoor.q) || []
  // How long a consent lasts, in seconds (data-consent-days, default 182: six months, what
  // consent managers keep by default). spoor_id never outlives the consent it was set under.
  const life = (+attr('consent-days') || 182) * 86400

  const get = (k: string) => {
    const m = d.cookie.match('(?:^|; )' + k + '=([^;]*)')
    return m ? m[1]! : ''
  }
  const set = (k: string, v: string, maxAge: number) => {
    d.cookie = k + '=' + v + ';path=/;max-age=' + Math.floor(maxAge) + ';samesite=lax' + (l.protocol == 'https:' ? ';secure' : '')
  }
  const rid = () => {
    const a = new Uint8Array(16)
    crypto.getRandomValues(a)
    let s = ''
    for (let i = 0; i < 16; i++) s += (a[i]! + 256).toString(16).slice(1)
    return s
  }
  // fetch with keepalive (it outlives the page like sendBeacon, and its answer can be
  // read): a 503 (the collector's journal is full) is tried again after Retry-After,
  // up to 3 times while the page is open, with the same event id (stored once). On a
  // network error sendBeacon gets one go. A string body is sent as text/plain;charset=UTF-8
  // (by fetch and sendBeacon alike, no header needed), which needs no CORS preflight.
  const send = (path: string, body: object, tries = 0) => {
    const data = JSON.stringify(body)
    fetch(base + path, { method: 'POST', body: data, keepalive: true, credentials: 'include' }).then(
      (r) => {
        if (r.status == 503 && tries < 3) setTimeout(() => send(path, body, tries + 1), (+r.headers.get('Retry-After')! || 5) * 1e3)
      },
      () => navigator.sendBeacon && navigator.sendBeacon(base + path, data),
    )
  }

  // The consent of this page load: true, false, or unknown (a banner is still waiting).
  // `at`: when it was given, in seconds, where the consent manager says (NaN if not).
  let consent = false
  let at = NaN
  let referrer = d.referrer
  // spoor_id is "<visitor id>.<consent time, base 36 seconds>".
  const vidOf = () => get(ID).split('.')[0]!

  const track = (type: string, name?: unknown, props?: unknown, domain?: string) => {
    if (!consent || get(OPTOUT)) return
    let [vid, stamp] = get(ID).split('.')
    let sid = get(SES)
    const now = Date.now() / 1e3
    // The consent time the id was set under, in seconds.
    let given = parseInt(stamp!, 36)
    // A new id when there is none, or when this consent is newer than the one the id was
    // set under (given again after a policy change), or the id carries no consent time (set
    // before ids were tied to their consent). It is written once and never renewed. A new
    // id starts a new visit too.
    if (!stamp || at > given) {
      vid = rid()
      sid = ''
      given = (at || now) | 0
      set(ID, vid + '.' + given.toString(36), given + life - now)
    }
    sid = sid || rid()
    set(SES, sid, Math.min(1800, given + life - now)) // 30 minutes, renewed by every event
    const ids = { site, type, consent: { analytics: true }, vid, sid, id: rid() }
    send(
      '/api/event',
      // A form submission carries the e-mail domain and nothing of the page: the URL of
      // a GET form could hold the address itself.
      Object.assign(ids, domain ? { url: l.origin + '/', domain } : { url: l.href, referrer, title: d.title, screen: screen.width, name, props }),
    )
  }

  // The last page view's path is kept on the spoor function (spoor.p), where the
  // extensions script sees whether this page load's page view has been sent.
  const page = () => {
    const here = l.pathname + l.search
    if (!consent || here == spoor.p) return
    spoor.p = here
    track('pageview')
    // After the first page view, the previous page is the referrer: a single-page app
    // keeps document.referrer, which would count the landing source again.
    referrer = l.href
  }

  // The id of this page's visitor, kept after consent is withdrawn so that
  // spoor('erase') can still ask for its erasure.
  let lastVid = vidOf()
  const clear = () => {
    lastVid = vidOf() || lastVid
    set(ID, '', 0)
    set(SES, '', 0)
  }

  const spoor: SpoorFn = (cmd, a, b) => {
    if (cmd == 'consent') {
      // true: given now; false: refused or withdrawn (cookies removed); anything else
      // (null, undefined, 0, 'false'): no answer yet, so nothing is sent and the cookies stay.
      // b: when it was given (Date, ms or ISO string); a consent older than its lifetime
      // has expired, whatever the consent manager still holds.
      at = b ? Math.floor(+new Date(b as string) / 1e3) : NaN
      consent = a === true && !(at + life < Date.now() / 1e3)
      if (consent) page()
      else if (a === false) clear()
    } else if (cmd == 'event') {
      track('event', a, b)
    } else if (cmd == 'erase') {
      // Forget me: withdraw consent and ask the server to erase what it holds.
      const vid = vidOf() || lastVid
      consent = false
      clear()
      if (vid) send('/api/privacy/erase', { vid })
    } else if (cmd == 'optout') {
      const vid = vidOf()
      consent = false
      clear()
      set(OPTOUT, '1', 34560000) // 400 days, the longest a browser keeps a cookie
      send('/api/optout', { site, vid: vid || undefined })
    }
  }
  spoor.a = attr
  w.spoor = spoor

  // Single-page apps: count history navigation.
  const push = history.pushState
  history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
    push.apply(this, args)
    page()
  }
  w.addEventListener('popstate', page)

  // The privacy policy's opt-out link carries the visitor id, so the opt-out also
  // covers the id this browser used before. In the fragment: no server, log or Referer
  // sees it (the id is a bearer token for the visitor's history).
  d.addEventListener('click', (e) => {
    const t = e.target as Element | null
    const a = t && t.closest && (t.closest('a') as HTMLAnchorElement | null)
    const vid = vidOf()
    if (a && vid && a.href.indexOf(base + '/optout') == 0) a.hash = 'vid=' + vid
  })

  // Company recognition: of a submitted form only the e-mail domain is sent, never
  // the address or any other field (and nothing at all without consent).
  d.addEventListener(
    'submit',
    (e) => {
      const f = e.target as HTMLFormElement | null
      const input = f && f.querySelector && (f.querySelector('input[type=email]') as HTMLInputElement | null)
      const v = input ? input.value : ''
      const at = v.lastIndexOf('@')
      if (at > 0) track('form', undefined, undefined, v.slice(at + 1))
    },
    true,
  )

  // Second scripts, loaded only when the script tag asks for them. A script element
  // inserted without src starts loading when it is given one.
  const load = (path: string) => (d.head.appendChild(d.createElement('script')).src = base + path)
  // data-consent="tcf" or "gcm": the adapter for that consent manager's API, which calls
  // spoor('consent', …) as the answers come.
  const mode = attr('consent')
  if (mode && mode != 'callback') load('/consent/' + mode + '.js')
  // data-outbound, data-downloads, data-404: the automatic events of /script.ext.js,
  // which go through spoor('event', …) and so wait for consent like any other.
  if (attr('outbound') + attr('downloads') + attr('404')) load('/script.ext.js')
  for (let i = 0; i < queued.length; i++) spoor.apply(null, queued[i] as unknown as [string, unknown, unknown])
  // Back from the opt-out page (its "back to the site" link): opt out here as well,
  // with a cookie of the site's own, which no third-party cookie policy blocks. The
  // hash is removed, so that a reload does not record the opt-out again.
  if (l.hash == '#spoor-optout') {
    history.replaceState(history.state, '', l.pathname + l.search)
    spoor('optout')
  }
  page()
})(window, document, location)
