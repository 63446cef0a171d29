// Dutch and English, chosen from the browser's language and switchable (remembered
// in this browser only). Texts with a number in them are in COUNTED, by plural form.
export type Lang = 'en' | 'nl'

const en = {
  login: 'Log in',
  email: 'E-mail',
  password: 'Password',
  logout: 'Log out',
  overview: 'Overview',
  companies: 'Companies',
  settings: 'Settings',
  site: 'Site',
  period: 'Period',
  today: 'Today',
  yesterday: 'Yesterday',
  d7: 'Last 7 days',
  d30: 'Last 30 days',
  month: 'This month',
  custom: 'Custom',
  compare: 'Compare',
  visitors: 'Unique visitors',
  visits: 'Visits',
  pageviews: 'Page views',
  bounce_rate: 'Bounce rate',
  visit_duration: 'Visit duration',
  pages: 'Pages',
  'entry-pages': 'Entry pages',
  referrers: 'Referrers',
  utm: 'UTM campaigns',
  browsers: 'Browsers',
  os: 'Operating systems',
  devices: 'Devices',
  countries: 'Countries',
  name: 'Name',
  export: 'CSV',
  loading: 'Loading…',
  nothing: 'Nothing yet in this period.',
  noSites: 'No site yet. An admin adds one under Settings; then paste its tracking snippet into the site.',
  noData: 'No page views in this period yet. Paste the tracking snippet into the site’s pages, and make sure the consent banner calls spoor("consent", true).',
  noDataDemo: 'No page views yet. Open the demo site, accept the analytics cookies in its banner and click a few pages: nothing is counted before consent.',
  openDemo: 'Open the demo site',
  company: 'Company',
  domain: 'Domain',
  location: 'Location',
  industry: 'Industry',
  employees: 'Employees',
  lastVisit: 'Last visit',
  leadScore: 'Lead score',
  search: 'Search name or domain',
  country: 'Country',
  networkType: 'Network',
  pageVisited: 'Page visited',
  minVisits: 'Min. visits',
  sort: 'Sort',
  noCompanies: 'No recognised companies in this period. Companies appear a minute or two after a visit from a company network.',
  profile: 'Profile',
  timeline: 'Visits',
  evidence: 'How it was recognised',
  back: 'Back',
  address: 'Address',
  phone: 'Phone',
  website: 'Website',
  registration: 'Registration number',
  sites: 'Sites',
  addSite: 'Add site',
  remove: 'Remove',
  snippet: 'Tracking snippet',
  copy: 'Copy',
  copied: 'Copied',
  companyPages: 'Pages that count for company recognition (one pattern per line, * matches anything; empty = all pages)',
  save: 'Save',
  saved: 'Saved',
  users: 'Users',
  addUser: 'Add user',
  role: 'Role',
  suppressed: 'Suppressed companies',
  kind: 'Kind',
  value: 'Value',
  reason: 'Reason',
  add: 'Add',
  optoutLink: 'Opt-out link for the privacy policy',
  retention: 'Retention in force',
  ipDays: 'Full IP addresses',
  rawDays: 'Raw events',
  aggMonths: 'Aggregated statistics',
  companyMonths: 'Company visits',
  days: 'days',
  months: 'months',
  jobs: 'Scheduled jobs',
  lastRun: 'Last run',
  rows: 'Rows',
  error: 'Error',
  adminOnly: 'Only admins can see the settings.',
  vsPrevious: 'vs previous period',
  privacy: 'Privacy requests',
  visitorId: 'Visitor id (spoor_id)',
  exportData: 'Download data',
  eraseData: 'Erase',
  eraseConfirm: 'Erase everything stored for this visitor? This cannot be undone.',
  erased: 'Erased page views and events',
  auditLog: 'Audit log',
  notCounted: 'Not counted:',
  droppedTitle: 'Events that arrived but were not stored, by reason (answered like stored ones, so a sender cannot tell). Only admins see this.',
  why_opted_out: 'A browser that opted out (on the opt-out page or with spoor("optout")) is not counted: opt back in on the opt-out page to test with it.',
  why_gpc: 'A browser that sends Global Privacy Control is not counted: test with a browser or profile that does not send it.',
  why_dnt: 'A browser that sends Do Not Track is not counted: turn it off in the browser you test with.',
  why_bot: 'Headless browsers, curl, scripts and crawlers are bots, and bots are not counted: test in an ordinary browser.',
  why_duplicate: 'An event sent again with the same id counts once: each event needs an id of its own.',
  why_free_mail: 'A form submitted with a free e-mail address (Gmail, Outlook, …) tells nothing about a company and is not counted.',
  why_no_ip: 'A form submission without a usable IP address is not counted.',
  account: 'Account',
  changePassword: 'Change password',
  currentPassword: 'Current password',
  newPassword: 'New password (at least 8 characters)',
  repeatPassword: 'New password again',
  passwordsDiffer: 'The two new passwords differ.',
  passwordChanged: 'Password changed. Sessions in other browsers logged out',
  resetPassword: 'Reset password',
  setPassword: 'Set password',
  passwordSet: 'Password set. Sessions logged out',
  cancel: 'Cancel',
  sources: 'Sources',
  'exit-pages': 'Exit pages',
  events: 'Custom events',
  goals: 'Goals',
  utm_tab_source: 'Source',
  utm_tab_medium: 'Medium',
  utm_tab_campaign: 'Campaign',
  utm_tab_content: 'Content',
  utm_tab_term: 'Term',
  dim_page: 'Page',
  dim_entry_page: 'Entry page',
  dim_exit_page: 'Exit page',
  dim_source: 'Source',
  dim_referrer: 'Referrer',
  dim_utm_source: 'UTM source',
  dim_utm_medium: 'UTM medium',
  dim_utm_campaign: 'UTM campaign',
  dim_utm_content: 'UTM content',
  dim_utm_term: 'UTM term',
  dim_browser: 'Browser',
  dim_os: 'Operating system',
  dim_device: 'Device',
  dim_country: 'Country',
  dim_event: 'Event',
  goal: 'Goal',
  op_is: 'is',
  op_is_not: 'is not',
  op_contains: 'contains',
  or: 'or',
  filterBy: 'Show only this',
  removeFilter: 'Remove filter',
  clearFilters: 'Clear all filters',
  col_visitors: 'Visitors',
  exits: 'Exits',
  exit_rate: 'Exit rate',
  col_pageviews: 'Page views',
  col_bounce_rate: 'Bounce rate',
  total_events: 'Events',
  unique_conversions: 'Uniques',
  total_conversions: 'Total',
  conversion_rate: 'Conversion rate',
  new: 'new',
  directNone: 'Direct / None',
  chart_hour: 'Visitors and page views per hour',
  chart_day: 'Visitors and page views per day',
  chart_week: 'Visitors and page views per week',
  chart_month: 'Visitors and page views per month',
  noGoals: 'No goals yet. A goal counts the visitors who sent a custom event or saw a page.',
  setUpGoals: 'Set up goals in Settings',
  goalsByAdmin: 'An admin sets goals up in Settings.',
  timezone: 'Time zone',
  timezoneHint: 'Days, hours and “today” of this site are counted in this time zone.',
  goalEvent: 'Custom event',
  goalPage: 'Page visit',
  goalMatch: 'Event name, or page path (* matches anything)',
  addGoal: 'Add goal',
  noGoalsSet: 'No goals.',
  goalVisit: 'Visit',
  when: 'Date',
  reviewQueue: 'Review queue',
  reviewQueueHint:
    'Organisations that visited in the last 30 days but that no list or directory names. Internet, mobile and hosting providers, and owners whose name reads like a person’s, are never shown: naming them would name private persons.',
  noCandidates: 'No organisations to review in this period.',
  networkOwner: 'Network owner',
  nameCandidate: 'Name',
  companyName: 'Company name',
  dismiss: 'Dismiss',
  namedAs: 'Named; past visits now count as company visits',
}

const nl: typeof en = {
  login: 'Inloggen',
  email: 'E-mail',
  password: 'Wachtwoord',
  logout: 'Uitloggen',
  overview: 'Overzicht',
  companies: 'Bedrijven',
  settings: 'Instellingen',
  site: 'Site',
  period: 'Periode',
  today: 'Vandaag',
  yesterday: 'Gisteren',
  d7: 'Laatste 7 dagen',
  d30: 'Laatste 30 dagen',
  month: 'Deze maand',
  custom: 'Aangepast',
  compare: 'Vergelijk',
  visitors: 'Unieke bezoekers',
  visits: 'Bezoeken',
  pageviews: 'Paginaweergaven',
  bounce_rate: 'Bouncepercentage',
  visit_duration: 'Bezoekduur',
  pages: 'Pagina’s',
  'entry-pages': 'Instappagina’s',
  referrers: 'Verwijzers',
  utm: 'UTM-campagnes',
  browsers: 'Browsers',
  os: 'Besturingssystemen',
  devices: 'Apparaten',
  countries: 'Landen',
  name: 'Naam',
  export: 'CSV',
  loading: 'Laden…',
  nothing: 'Nog niets in deze periode.',
  noSites: 'Nog geen site. Een beheerder voegt er een toe onder Instellingen; plak daarna de trackingcode in de site.',
  noData:
    'Nog geen paginaweergaven in deze periode. Plak de trackingcode in de pagina’s van de site en zorg dat de cookiebanner spoor("consent", true) aanroept.',
  noDataDemo:
    'Nog geen paginaweergaven. Open de demosite, accepteer de analytische cookies in de banner en klik een paar pagina’s aan: zonder toestemming wordt niets geteld.',
  openDemo: 'Open de demosite',
  company: 'Bedrijf',
  domain: 'Domein',
  location: 'Locatie',
  industry: 'Branche',
  employees: 'Medewerkers',
  lastVisit: 'Laatste bezoek',
  leadScore: 'Leadscore',
  search: 'Zoek op naam of domein',
  country: 'Land',
  networkType: 'Netwerk',
  pageVisited: 'Bezochte pagina',
  minVisits: 'Min. bezoeken',
  sort: 'Sorteer',
  noCompanies: 'Geen herkende bedrijven in deze periode. Bedrijven verschijnen een à twee minuten na een bezoek vanaf een bedrijfsnetwerk.',
  profile: 'Profiel',
  timeline: 'Bezoeken',
  evidence: 'Hoe het herkend is',
  back: 'Terug',
  address: 'Adres',
  phone: 'Telefoon',
  website: 'Website',
  registration: 'KvK-nummer',
  sites: 'Sites',
  addSite: 'Site toevoegen',
  remove: 'Verwijderen',
  snippet: 'Trackingcode',
  copy: 'Kopiëren',
  copied: 'Gekopieerd',
  companyPages: 'Pagina’s die tellen voor bedrijfsherkenning (één patroon per regel, * past op alles; leeg = alle pagina’s)',
  save: 'Opslaan',
  saved: 'Opgeslagen',
  users: 'Gebruikers',
  addUser: 'Gebruiker toevoegen',
  role: 'Rol',
  suppressed: 'Uitgesloten bedrijven',
  kind: 'Soort',
  value: 'Waarde',
  reason: 'Reden',
  add: 'Toevoegen',
  optoutLink: 'Afmeldlink voor de privacyverklaring',
  retention: 'Bewaartermijnen',
  ipDays: 'Volledige IP-adressen',
  rawDays: 'Ruwe gebeurtenissen',
  aggMonths: 'Samengevatte statistieken',
  companyMonths: 'Bedrijfsbezoeken',
  days: 'dagen',
  months: 'maanden',
  jobs: 'Geplande taken',
  lastRun: 'Laatste run',
  rows: 'Rijen',
  error: 'Fout',
  adminOnly: 'Alleen beheerders zien de instellingen.',
  vsPrevious: 't.o.v. vorige periode',
  privacy: 'Privacyverzoeken',
  visitorId: 'Bezoekers-id (spoor_id)',
  exportData: 'Gegevens downloaden',
  eraseData: 'Wissen',
  eraseConfirm: 'Alles wissen wat voor deze bezoeker is opgeslagen? Dit kan niet ongedaan worden.',
  erased: 'Gewiste paginaweergaven en gebeurtenissen',
  auditLog: 'Auditlog',
  notCounted: 'Niet geteld:',
  droppedTitle:
    'Gebeurtenissen die binnenkwamen maar niet zijn opgeslagen, per reden (beantwoord als opgeslagen, zodat een afzender het niet merkt). Alleen beheerders zien dit.',
  why_opted_out:
    'Een browser die zich heeft afgemeld (op de afmeldpagina of met spoor("optout")) wordt niet geteld: meld je op de afmeldpagina weer aan om ermee te testen.',
  why_gpc: 'Een browser die Global Privacy Control meestuurt wordt niet geteld: test met een browser of profiel dat het niet meestuurt.',
  why_dnt: 'Een browser die Do Not Track meestuurt wordt niet geteld: zet het uit in de browser waarmee je test.',
  why_bot: 'Headless browsers, curl, scripts en crawlers zijn bots, en bots worden niet geteld: test in een gewone browser.',
  why_duplicate: 'Een gebeurtenis die opnieuw met hetzelfde id wordt verstuurd telt één keer: elke gebeurtenis heeft een eigen id nodig.',
  why_free_mail: 'Een formulier met een gratis e-mailadres (Gmail, Outlook, …) zegt niets over een bedrijf en wordt niet geteld.',
  why_no_ip: 'Een formulier zonder bruikbaar IP-adres wordt niet geteld.',
  account: 'Account',
  changePassword: 'Wachtwoord wijzigen',
  currentPassword: 'Huidig wachtwoord',
  newPassword: 'Nieuw wachtwoord (minstens 8 tekens)',
  repeatPassword: 'Nieuw wachtwoord nogmaals',
  passwordsDiffer: 'De twee nieuwe wachtwoorden verschillen.',
  passwordChanged: 'Wachtwoord gewijzigd. Uitgelogde sessies in andere browsers',
  resetPassword: 'Wachtwoord opnieuw instellen',
  setPassword: 'Wachtwoord instellen',
  passwordSet: 'Wachtwoord ingesteld. Uitgelogde sessies',
  cancel: 'Annuleren',
  sources: 'Bronnen',
  'exit-pages': 'Uitstappagina’s',
  events: 'Aangepaste gebeurtenissen',
  goals: 'Doelen',
  utm_tab_source: 'Bron',
  utm_tab_medium: 'Medium',
  utm_tab_campaign: 'Campagne',
  utm_tab_content: 'Inhoud',
  utm_tab_term: 'Zoekterm',
  dim_page: 'Pagina',
  dim_entry_page: 'Instappagina',
  dim_exit_page: 'Uitstappagina',
  dim_source: 'Bron',
  dim_referrer: 'Verwijzer',
  dim_utm_source: 'UTM-bron',
  dim_utm_medium: 'UTM-medium',
  dim_utm_campaign: 'UTM-campagne',
  dim_utm_content: 'UTM-inhoud',
  dim_utm_term: 'UTM-zoekterm',
  dim_browser: 'Browser',
  dim_os: 'Besturingssysteem',
  dim_device: 'Apparaat',
  dim_country: 'Land',
  dim_event: 'Gebeurtenis',
  goal: 'Doel',
  op_is: 'is',
  op_is_not: 'is niet',
  op_contains: 'bevat',
  or: 'of',
  filterBy: 'Toon alleen dit',
  removeFilter: 'Filter verwijderen',
  clearFilters: 'Alle filters wissen',
  col_visitors: 'Bezoekers',
  exits: 'Uitstappen',
  exit_rate: 'Uitstap %',
  col_pageviews: 'Weergaven',
  col_bounce_rate: 'Bounce %',
  total_events: 'Gebeurtenissen',
  unique_conversions: 'Uniek',
  total_conversions: 'Totaal',
  conversion_rate: 'Conversie %',
  new: 'nieuw',
  directNone: 'Direct / geen',
  chart_hour: 'Bezoekers en paginaweergaven per uur',
  chart_day: 'Bezoekers en paginaweergaven per dag',
  chart_week: 'Bezoekers en paginaweergaven per week',
  chart_month: 'Bezoekers en paginaweergaven per maand',
  noGoals: 'Nog geen doelen. Een doel telt de bezoekers die een aangepaste gebeurtenis stuurden of een pagina zagen.',
  setUpGoals: 'Stel doelen in onder Instellingen',
  goalsByAdmin: 'Een beheerder stelt doelen in onder Instellingen.',
  timezone: 'Tijdzone',
  timezoneHint: 'Dagen, uren en “vandaag” van deze site worden in deze tijdzone geteld.',
  goalEvent: 'Aangepaste gebeurtenis',
  goalPage: 'Paginabezoek',
  goalMatch: 'Naam van de gebeurtenis, of paginapad (* past op alles)',
  addGoal: 'Doel toevoegen',
  noGoalsSet: 'Geen doelen.',
  goalVisit: 'Bezoek aan',
  when: 'Datum',
  reviewQueue: 'Te beoordelen organisaties',
  reviewQueueHint:
    'Organisaties die de afgelopen 30 dagen bezochten, maar die geen lijst of bedrijvenregister noemt. Internet-, mobiele en hostingproviders, en eigenaren met een naam die op een persoon lijkt, worden nooit getoond: wie die benoemt, benoemt privépersonen.',
  noCandidates: 'Geen organisaties te beoordelen in deze periode.',
  networkOwner: 'Eigenaar van het netwerk',
  nameCandidate: 'Benoemen',
  companyName: 'Bedrijfsnaam',
  dismiss: 'Negeren',
  namedAs: 'Benoemd; eerdere bezoeken tellen nu als bedrijfsbezoeken',
}

export type Key = keyof typeof en
const DICTS: Record<Lang, typeof en> = { en, nl }

/** A text with a number in it ({n}), in the forms the language's plural rules name; `other` when a form is missing. */
type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

const enCounted = {
  drop_opted_out: { other: '{n} opted out' },
  drop_gpc: { other: '{n} with Global Privacy Control' },
  drop_dnt: { other: '{n} with Do Not Track' },
  drop_bot: { one: '{n} bot', other: '{n} bots' },
  drop_duplicate: { one: '{n} duplicate', other: '{n} duplicates' },
  drop_free_mail: { one: '{n} form with a free e-mail address', other: '{n} forms with a free e-mail address' },
  drop_no_ip: { one: '{n} form without an IP address', other: '{n} forms without an IP address' },
  realtime: { one: '{n} visitor in the last 5 minutes', other: '{n} visitors in the last 5 minutes' },
  allDropped: {
    one: 'Nothing was counted in this period: the one event that arrived was dropped.',
    other: 'Nothing was counted in this period: all {n} events that arrived were dropped.',
  },
} satisfies Record<string, Forms>

export type CountedKey = keyof typeof enCounted

const nlCounted: Record<CountedKey, Forms> = {
  drop_opted_out: { other: '{n} afgemeld' },
  drop_gpc: { other: '{n} met Global Privacy Control' },
  drop_dnt: { other: '{n} met Do Not Track' },
  drop_bot: { one: '{n} bot', other: '{n} bots' },
  drop_duplicate: { one: '{n} dubbel verstuurd', other: '{n} dubbel verstuurd' },
  drop_free_mail: { one: '{n} formulier met een gratis e-mailadres', other: '{n} formulieren met een gratis e-mailadres' },
  drop_no_ip: { one: '{n} formulier zonder IP-adres', other: '{n} formulieren zonder IP-adres' },
  realtime: { one: '{n} bezoeker in de laatste 5 minuten', other: '{n} bezoekers in de laatste 5 minuten' },
  allDropped: {
    one: 'In deze periode is niets geteld: de ene gebeurtenis die binnenkwam is niet opgeslagen.',
    other: 'In deze periode is niets geteld: alle {n} gebeurtenissen die binnenkwamen zijn niet opgeslagen.',
  },
}

const COUNTED: Record<Lang, Record<CountedKey, Forms>> = { en: enCounted, nl: nlCounted }

export type Counted = (key: CountedKey, n: number) => string

/** Texts with a count, in the language's plural form (Intl.PluralRules: 1 bot, 2 bots) and number format. */
export function counted(lang: Lang): Counted {
  const rules = new Intl.PluralRules(lang)
  const number = new Intl.NumberFormat(lang)
  return (key, n) => {
    const forms = COUNTED[lang][key]
    return (forms[rules.select(n)] ?? forms.other).replace('{n}', number.format(n))
  }
}

export function initialLang(): Lang {
  const saved = localStorage.getItem('spoor_lang')
  if (saved === 'en' || saved === 'nl') return saved
  return navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en'
}

export const translate = (lang: Lang) => (key: Key) => DICTS[lang][key]

// ---- Formats of the chosen language ------------------------------------------------
// One language at a time for the whole page: App sets it before it renders the views.

let current: Lang = 'en'
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.DisplayNames>()

export function setLocale(lang: Lang): void {
  current = lang
}

export const locale = () => current

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.DisplayNames>(kind: string, opts: object, make: () => F): F {
  const key = `${current}|${kind}|${JSON.stringify(opts)}`
  let f = cache.get(key)
  if (!f) {
    f = make()
    cache.set(key, f)
  }
  return f as F
}

/** A number as the language writes it: 1,234 or 1.234. */
export const number = (n: number, opts: Intl.NumberFormatOptions = {}) =>
  (cached('n', opts, () => new Intl.NumberFormat(current, opts)) as Intl.NumberFormat).format(n)

/** A percentage given as 0–100 (bounce rate, conversion rate): 45%, 12.5%. */
export const percent = (v: number) => number(v / 100, { style: 'percent', maximumFractionDigits: 1 })

/** A formatter of wall-clock dates: the API's dates are already the site's local days and hours, so they are read and shown as UTC. */
export const dates = (opts: Intl.DateTimeFormatOptions) =>
  cached('d', opts, () => new Intl.DateTimeFormat(current, { ...opts, timeZone: 'UTC' })) as Intl.DateTimeFormat

/** YYYY-MM-DD or YYYY-MM-DD HH:00 (of the API) → the instant, reading the wall-clock time as UTC. */
export const wallClock = (s: string) => new Date(`${s.slice(0, 10)}T${s.length > 10 ? s.slice(11, 16) : '00:00'}:00Z`)

/** The range of the view, e.g. "1–30 Mar 2026" or "1 mrt. – 30 mrt. 2026". */
export function rangeLabel(from: string, to: string): string {
  const f = dates({ day: 'numeric', month: 'short', year: 'numeric' })
  return from === to ? f.format(wallClock(from)) : f.formatRange(wallClock(from), wallClock(to))
}

/** A country's name in the language, from its ISO 3166 alpha-2 code (the code itself when unknown). */
export function countryName(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return code
  try {
    return (cached('c', {}, () => new Intl.DisplayNames([current], { type: 'region' })) as Intl.DisplayNames).of(code.toUpperCase()) ?? code
  } catch {
    return code
  }
}
