// A small TCF v2.2 consent manager for the browser tests, built on the IAB's own
// @iabtechlabtcf/cmpapi (the __tcfapi the page's scripts talk to) and @iabtechlabtcf/core
// (the TC string). It behaves as a CMP does: a stored TC string that is current is
// loaded without UI (eventStatus "tcloaded"); none, one older than its lifetime, or one
// saved under an earlier revision of the site's policy brings up the banner
// ("cmpuishown"); an answer is saved and announced ("useractioncomplete").
// Its settings come from its script tag: data-revision and data-days.
import { CmpApi } from '@iabtechlabtcf/cmpapi'
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core'

const me = document.currentScript as HTMLScriptElement
const REVISION = Number(me.dataset.revision ?? '1')
const DAYS = Number(me.dataset.days ?? '182')
const COOKIE = 'euconsent-v2'

const purpose = (id: number, name: string) => ({ id, name, description: name, illustrations: [] })
// A vendor list of the shape the IAB publishes (version 3 of the specification, policy 5
// for TCF v2.2), with the purposes Spoor reads and one vendor.
const gvl = new GVL({
  gvlSpecificationVersion: 3,
  vendorListVersion: 1,
  tcfPolicyVersion: 5,
  lastUpdated: '2026-01-01T00:00:00Z',
  purposes: Object.fromEntries(
    [
      [1, 'Store and/or access information on a device'],
      [7, 'Measure advertising performance'],
      [8, 'Measure content performance'],
      [9, 'Understand audiences through statistics or combinations of data from different sources'],
      [10, 'Develop and improve services'],
    ].map(([id, name]) => [id, purpose(id as number, name as string)]),
  ),
  specialPurposes: {},
  features: {},
  specialFeatures: {},
  stacks: {},
  dataCategories: {},
  vendors: {
    1: {
      id: 1,
      name: 'Example analytics vendor',
      purposes: [1, 8, 9],
      legIntPurposes: [],
      flexiblePurposes: [],
      specialPurposes: [],
      features: [],
      specialFeatures: [],
      usesCookies: true,
      cookieRefresh: false,
      usesNonCookieAccess: false,
      deviceStorageDisclosureUrl: '',
      urls: [],
    },
  },
} as unknown as ConstructorParameters<typeof GVL>[0])

// cmpId 0 is reserved; 10 is an unassigned test id. Service-specific: the consent is for this site.
const api = new CmpApi(10, REVISION, true)

const read = () => document.cookie.match(/(?:^|; )euconsent-v2=([^;]*)/)?.[1] ?? ''
function current(s: string): boolean {
  if (!s) return false
  try {
    const m = TCString.decode(s)
    const age = Date.now() - (m.lastUpdated as Date).getTime()
    return m.cmpVersion === REVISION && age < DAYS * 86_400_000
  } catch {
    return false
  }
}

function save(purposes: number[]): void {
  const m = new TCModel(gvl)
  m.cmpId = 10
  m.cmpVersion = REVISION
  m.isServiceSpecific = true
  m.purposeConsents.set(purposes)
  if (purposes.length) m.vendorConsents.set(1)
  m.updated()
  const s = TCString.encode(m)
  // biome-ignore lint/suspicious/noDocumentCookie: a CMP stores its consent string in a cookie, as real ones do
  document.cookie = `${COOKIE}=${s};path=/;max-age=${DAYS * 86400};samesite=lax`
  banner.hidden = true
  api.update(s, false)
}

const banner = document.createElement('div')
banner.id = 'tcf-banner'
banner.hidden = true
banner.innerHTML =
  '<p>We and our partner store and access information on your device and measure content performance.</p>' +
  '<button id="tcf-accept" type="button">Accept</button> <button id="tcf-reject" type="button">Reject</button>'
const show = () => {
  banner.hidden = false
  api.update(read(), true)
}
document.addEventListener('DOMContentLoaded', () => {
  document.body.append(banner)
  banner.querySelector('#tcf-accept')!.addEventListener('click', () => save([1, 8, 9]))
  banner.querySelector('#tcf-reject')!.addEventListener('click', () => save([]))
  const s = read()
  if (current(s)) api.update(s, false)
  else show()
})
// The site's "privacy settings" link reopens the banner.
;(window as unknown as { showConsent: () => void }).showConsent = show
