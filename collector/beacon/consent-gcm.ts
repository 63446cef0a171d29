// data-consent="gcm": Google Consent Mode v2. Served as /consent/gcm.js and loaded by the
// beacon only for sites that ask for it. It reads the consent commands that gtag() puts
// on window.dataLayer, those already there and every later one:
//   gtag('consent', 'update', { analytics_storage: 'granted' })  consent given now
//   gtag('consent', 'update', { analytics_storage: 'denied' })   refused or withdrawn
//   gtag('consent', 'default', …)                                 not an answer: pending
// A default of "granted" is the site's choice for regions without a consent rule, not
// the visitor's, so it never counts as consent. A default of "denied" after an update on
// the same page is taken as a withdrawal: some consent managers' decline handlers send it.
type Command = ArrayLike<unknown>
interface GcmWindow extends Window {
  dataLayer?: Command[]
  spoor?: (cmd: string, a?: unknown, b?: unknown) => void
}

;((w: GcmWindow) => {
  const layer = (w.dataLayer = w.dataLayer || [])
  let answered = false
  const see = (c: Command) => {
    const s = c && c[0] == 'consent' && (c[2] as { analytics_storage?: string } | undefined)
    const v = s && s.analytics_storage
    if (!v) return
    if (c[1] == 'update') {
      answered = true
      w.spoor!('consent', v == 'granted')
    } else if (answered && v == 'denied') w.spoor!('consent', false)
  }
  for (let i = 0; i < layer.length; i++) see(layer[i]!)
  // gtag.js replaces dataLayer.push with its own when it loads: keep ours in front of
  // whichever push is current, so that no later command is missed.
  let push = layer.push
  const ours = function (this: unknown, ...cs: Command[]) {
    cs.forEach(see)
    return push.apply(layer, cs)
  }
  Object.defineProperty(layer, 'push', { configurable: true, get: () => ours, set: (f: typeof push) => void (push = f) })
})(window)
