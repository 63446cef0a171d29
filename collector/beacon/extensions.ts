// Automatic events, served as /script.ext.js and loaded by the beacon only when its
// script tag carries one of these attributes (Plausible's script extensions):
//   data-outbound="true"   a click on a link to another host: "Outbound Link: Click", { url }
//                          (without the fragment)
//   data-downloads="true"  a click on a link to a file of a type below: "File Download",
//                          { url } (without query and fragment); or the file types to count
//                          instead of those: data-downloads="pdf,zip"
//   data-404="true"        (the site's 404 template only) the page view of this page load
//                          is followed by "404", { path }
// Every event goes through spoor('event', …), which sends nothing without consent.
// Clicks (left or middle, with or without modifier keys) are not held up: the beacon's
// fetch has keepalive, so the request outlives the page the link leaves.
// Budget: 512 B gzipped (EXTENSIONS_BUDGET_BYTES).
interface SpoorFn {
  (cmd: string, a?: unknown, b?: unknown): void
  /** Set by the beacon: the path of the last page view sent on this page load. */
  p?: string
  /** Set by the beacon: a data-* attribute of its script tag. */
  a?: (k: string) => string
}
interface SpoorWindow extends Window {
  spoor?: SpoorFn
}

;((w: SpoorWindow, d: Document, l: Location) => {
  const s = w.spoor!
  const attr = s.a!
  const dl = attr('downloads')
  // Plausible's default file types; a site's own list is taken word by word.
  const types = new RegExp(
    '\\.(' +
      (dl == 'true' ? 'pdf|xlsx|docx|txt|rtf|csv|exe|key|pps|pptx?|7z|pkg|rar|gz|zip|avi|mov|mp[34]|mpeg|wmv|midi|wav|wma|dmg' : dl.replace(/\W+/g, '|')) +
      ')$',
    'i',
  )
  // Property values hold 500 characters at most (collector/body.ts).
  const event = (name: string, key: string, v: string) => s('event', name, { [key]: v.slice(0, 500) })

  const click = (e: MouseEvent) => {
    const t = e.target as Element
    const a = t.closest && (t.closest('a[href]') as HTMLAnchorElement | null)
    // Left (click) or middle (auxclick) button; not the right one (a menu) or back/forward.
    // An SVG link has no host and no pathname: not counted.
    if (!a || e.button > 1) return
    // As in Plausible, a link to another host is an outbound click before it is a download.
    // The fragment is left out: the beacon puts the visitor id in the opt-out link's.
    if (attr('outbound') == 'true' && a.host && a.host != l.host) event('Outbound Link: Click', 'url', a.href.split('#')[0]!)
    else if (dl && types.test(a.pathname)) event('File Download', 'url', a.origin + a.pathname)
  }
  d.addEventListener('click', click)
  d.addEventListener('auxclick', click)

  // 404: sent once, after this page load's page view. The page view waits for consent,
  // which may come later, so every later command to spoor looks again.
  if (attr('404') == 'true') {
    const path = l.pathname
    let sent = 0
    const after = () => s.p && !sent++ && event('404', 'path', path)
    w.spoor = (cmd, a, b) => {
      s(cmd, a, b)
      after()
    }
    after()
  }
})(window, document, location)
