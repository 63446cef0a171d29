// The Spoor beacon, served minified as /script.js. Budget: 1.5 KB gzipped.
// Nothing is sent and no cookie is set before the page calls spoor('consent', true)
// (or a spoor_id cookie, which only exists after consent, shows it was given before).
// Commands queued before this script loaded (window.spoor.q) are replayed.
interface SpoorFn {
  (cmd: string, a?: unknown, b?: unknown): void
  q?: IArguments[]
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

  const get = (k: string) => {
    const m = d.cookie.match('(?:^|; )' + k + '=([^;]*)')
    return m ? m[1] : ''
  }
  const set = (k: string, v: string, maxAge: number) => {
    d.cookie = k + '=' + v + ';path=/;max-age=' + maxAge + ';samesite=lax' + (l.protocol == 'https:' ? ';secure' : '')
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
  // network error sendBeacon gets one go. text/plain needs no CORS preflight.
  const send = (path: string, body: object, tries = 0) => {
    const data = JSON.stringify(body)
    fetch(base + path, { method: 'POST', body: data, keepalive: true, credentials: 'include', headers: { 'Content-Type': 'text/plain' } }).then(
      (r) => {
        if (r.status == 503 && tries < 3) setTimeout(() => send(path, body, tries + 1), (+r.headers.get('Retry-After')! || 5) * 1e3)
      },
      () => navigator.sendBeacon && navigator.sendBeacon(base + path, data),
    )
  }

  let consent = !!get(ID)
  let lastPage = ''
  let referrer = d.referrer

  const track = (type: string, name?: unknown, props?: unknown, domain?: string) => {
    if (!consent || get(OPTOUT)) return
    const vid = get(ID) || rid()
    const sid = get(SES) || rid()
    set(ID, vid, 31536000) // 1 year
    set(SES, sid, 1800) // 30 minutes, renewed by every event
    const ids = { site, type, consent: { analytics: true }, vid, sid, id: rid() }
    send(
      '/api/event',
      // A form submission carries the e-mail domain and nothing of the page: the URL of
      // a GET form could hold the address itself.
      domain ? { ...ids, url: l.origin + '/', domain } : { ...ids, url: l.href, referrer, title: d.title, screen: screen.width, name, props },
    )
  }

  const page = () => {
    const here = l.pathname + l.search
    if (!consent || here == lastPage) return
    lastPage = here
    track('pageview')
    // After the first page view, the previous page is the referrer: a single-page app
    // keeps document.referrer, which would count the landing source again.
    referrer = l.href
  }

  // The id of this page's visitor, kept after consent is withdrawn so that
  // spoor('erase') can still ask for its erasure.
  let lastVid = get(ID)
  const clear = () => {
    lastVid = get(ID) || lastVid
    set(ID, '', 0)
    set(SES, '', 0)
  }

  const spoor: SpoorFn = (cmd, a, b) => {
    if (cmd == 'consent') {
      // Only an explicit true is consent: spoor('consent'), 0 or 'false' are not.
      consent = a === true
      if (consent) page()
      else clear()
    } else if (cmd == 'event') {
      track('event', a, b)
    } else if (cmd == 'erase') {
      // Forget me: withdraw consent and ask the server to erase what it holds.
      const vid = get(ID) || lastVid
      consent = false
      clear()
      if (vid) send('/api/privacy/erase', { vid })
    } else if (cmd == 'optout') {
      const vid = get(ID)
      consent = false
      clear()
      set(OPTOUT, '1', 34560000) // 400 days, the longest a browser keeps a cookie
      send('/api/optout', { site, vid: vid || undefined })
    }
  }
  w.spoor = spoor

  // Single-page apps: count history navigation.
  const push = history.pushState
  history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
    push.apply(this, args)
    page()
  }
  w.addEventListener('popstate', page)

  // The privacy policy's opt-out link carries the visitor id, so the opt-out also
  // covers the id this browser used before.
  d.addEventListener('click', (e) => {
    const t = e.target as Element | null
    const a = t && t.closest && (t.closest('a') as HTMLAnchorElement | null)
    const vid = get(ID)
    if (a && vid && a.href.indexOf(base + '/optout') == 0 && a.href.indexOf('vid=') < 0) {
      a.href += (a.href.indexOf('?') < 0 ? '?' : '&') + 'vid=' + vid
    }
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
