// data-consent="tcf": IAB TCF v2.2. Served as /consent/tcf.js and loaded by the beacon
// only for sites that ask for it. It listens to the CMP's __tcfapi and passes each
// answer on as spoor('consent', …). Spoor is the site's own tool, not a vendor of the
// Global Vendor List, so the decision is made from purposes alone:
//   purpose 1 (store or access information on a device) AND purpose 8 (measure content
//   performance) or 9 (understand audiences through statistics), each by consent (not
//   legitimate interest), for vendors or in the publisher's own segment.
// No special feature is needed: Spoor uses neither precise geolocation nor device scanning.
// While the CMP shows its UI the answer is pending; gdprApplies false is not a consent.
interface TcData {
  tcString?: string
  eventStatus?: string
  gdprApplies?: boolean
  purpose?: { consents?: Record<number, boolean> }
  publisher?: { consents?: Record<number, boolean> }
}
interface TcfWindow extends Window {
  __tcfapi?: (cmd: string, version: number, cb: (d: TcData, ok: boolean) => void) => void
  spoor?: (cmd: string, a?: unknown, b?: unknown) => void
}

;((w: TcfWindow) => {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  // LastUpdated is bits 42-77 of the core segment: exactly its characters 7 to 12, in
  // deciseconds. It is when the consent was given, for the id's lifetime.
  const updated = (s: string) => {
    let t = 0
    for (let i = 7; i < 13; i++) t = t * 64 + B64.indexOf(s.charAt(i))
    return s.length > 12 && t > 0 ? t * 100 : undefined
  }
  let tries = 0
  const listen = () => {
    // The CMP's stub normally defines __tcfapi before any other script; wait up to 10 s.
    if (!w.__tcfapi) return void (tries++ < 50 && setTimeout(listen, 200))
    w.__tcfapi('addEventListener', 2, (d, ok) => {
      if (!ok || !d || d.eventStatus == 'cmpuishown') return w.spoor!('consent', null)
      const has = (n: number) => !!((d.purpose && d.purpose.consents) || {})[n] || !!((d.publisher && d.publisher.consents) || {})[n]
      w.spoor!('consent', d.gdprApplies !== false && has(1) && (has(8) || has(9)), updated(d.tcString || ''))
    })
  }
  listen()
})(window)
