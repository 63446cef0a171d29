// Network type of an address, and the owner that may stand for a company.
// Companies only, never private persons: residential ISP, mobile and hosting
// networks, person-like owner names and ISP pool labels never yield a company.
// Sources in order of authority: MaxMind Enterprise user_type, anonymity flags and
// connection type; the curated AS lists; word rules on the owner's name; reverse DNS.
import { nameKey } from './company.ts'
import type { AsnRecord } from './sources/asn.ts'
import type { MaxMindSignals } from './sources/maxmind.ts'
import type { PtrSignal } from './sources/rdns.ts'
import { EDUCATION_NETWORK_ASNS, HOSTING_ASNS, ISP_ASNS, MOBILE_ASNS } from './rules-data.ts'
import { ORGANISATION_ASNS } from './rules-organisations.ts'
import type { Evidence } from '../lib/api-types.ts'
import {
  CARRIER_BRANDS,
  EDUCATION_NETWORK_WORDS,
  EDUCATION_WORDS,
  INDUSTRY_WORDS,
  GOVERNMENT_WORDS,
  HOSTING_STEMS,
  HOSTING_WORDS,
  ISP_STEMS,
  ISP_WORDS,
  looksLikePerson,
  MOBILE_WORDS,
  POOL_WORDS,
} from './rules.ts'

export const NETWORK_TYPES = ['business', 'education', 'government', 'isp', 'mobile', 'hosting', 'unknown'] as const
export type NetworkType = (typeof NETWORK_TYPES)[number]
export const COMPANY_TYPES: readonly NetworkType[] = ['business', 'education', 'government']

export type { Evidence }

export interface Classification {
  network_type: NetworkType
  /** Who owns the network, when there is positive evidence that it is an organisation of its own. */
  owner: string | null
  /**
   * An owner that is no known provider but has no positive evidence either: named
   * only when the company directory knows it, or with NAME_UNVERIFIED_OWNERS=true.
   */
  candidate: string | null
  /** Whether the type came from data that decides (Enterprise, connection type, curated lists) or from word rules. */
  strong: boolean
  evidence: Evidence[]
}

export interface Signals {
  asn: AsnRecord | null
  maxmind: MaxMindSignals | null
  ptr: PtrSignal | null
  /** What the curated lists say about another AS of the same owner name, if any. */
  ownerList?: OwnerListing | null
  /** A listed organisation whose name starts the owner's name ("Nestle USA" → Nestle). */
  orgPrefix?: { type: 'business' | 'education' | 'government'; name: string } | null
}

export type OwnerListing =
  | { kind: 'provider'; type: 'isp' | 'mobile' | 'hosting' | 'education'; label: string }
  | { kind: 'organisation'; type: 'business' | 'education' | 'government'; name: string }

// MaxMind Enterprise traits.user_type → network type.
const USER_TYPES: Record<string, NetworkType> = {
  business: 'business',
  government: 'government',
  military: 'government',
  college: 'education',
  school: 'education',
  library: 'education',
  residential: 'isp',
  cafe: 'isp',
  traveler: 'isp',
  dialup: 'isp',
  cellular: 'mobile',
  hosting: 'hosting',
  content_delivery_network: 'hosting',
  search_engine_spider: 'hosting',
  consumer_privacy_network: 'hosting',
  router: 'isp',
}

const CONNECTION_TYPES: Record<string, NetworkType | 'corporate'> = {
  Cellular: 'mobile',
  'Cable/DSL': 'isp',
  Satellite: 'isp',
  Dialup: 'isp',
  Corporate: 'corporate',
}

const tidy = (s: string) => s.replace(/\s+/g, ' ').trim()

// The curated provider lists, privacy first: an address on one never names a company.
const PROVIDER_LISTS: ReadonlyArray<readonly [ReadonlyMap<number, string>, 'isp' | 'mobile' | 'hosting' | 'education', string]> = [
  [HOSTING_ASNS, 'hosting', 'hosting/cloud/CDN'],
  [MOBILE_ASNS, 'mobile', 'mobile carrier'],
  [ISP_ASNS, 'isp', 'access ISP or carrier'],
  // Education, but the network's owner is not the visitor's institution: no company.
  [EDUCATION_NETWORK_ASNS, 'education', 'research and education network (carries many institutions)'],
]

/** Type of an owner name by the word rules alone (no curated list said anything). */
function byName(name: string): { type: NetworkType; rule: string; positive?: boolean; nameless?: boolean } {
  if (EDUCATION_NETWORK_WORDS.test(name)) return { type: 'education', rule: 'a network of many schools or institutes, not one of them', nameless: true }
  if (MOBILE_WORDS.test(name)) return { type: 'mobile', rule: 'mobile-carrier words' }
  if (HOSTING_WORDS.test(name) || HOSTING_STEMS.test(name)) return { type: 'hosting', rule: 'hosting/cloud/CDN words' }
  if (CARRIER_BRANDS.test(name)) return { type: 'isp', rule: 'a carrier brand' }
  if (ISP_WORDS.test(name) || ISP_STEMS.test(name)) return { type: 'isp', rule: 'access-ISP words' }
  if (POOL_WORDS.test(name)) return { type: 'isp', rule: 'an ISP pool label' }
  if (EDUCATION_WORDS.test(name)) return { type: 'education', rule: 'education words', positive: true }
  if (GOVERNMENT_WORDS.test(name)) return { type: 'government', rule: 'government words', positive: true }
  // After the institution words: "Universiteit van Amsterdam" has a particle too.
  if (looksLikePerson(name)) return { type: 'unknown', rule: 'reads like a private person' }
  if (INDUSTRY_WORDS.test(name)) return { type: 'business', rule: 'words of an end-user trade', positive: true }
  return { type: 'business', rule: 'no known provider, but nothing shows it is an organisation of its own' }
}

export function classify(s: Signals): Classification {
  const evidence: Evidence[] = []
  const mm = s.maxmind
  const asn = mm?.asn ?? s.asn
  if (s.asn) evidence.push({ source: 'ip-location-db/asn', says: `AS${s.asn.asn} ${s.asn.org}` })
  if (mm?.asn && s.asn?.asn !== mm.asn.asn) evidence.push({ source: 'maxmind asn', says: `AS${mm.asn.asn} ${mm.asn.org}` })

  const done = (network_type: NetworkType, owner: string | null, strong: boolean, candidate: string | null = null): Classification => {
    const mayName = COMPANY_TYPES.includes(network_type)
    // Reverse DNS can only take a company away (a consumer-looking host name on a
    // network the word rules took for a company), never make one.
    if ((mayName || candidate) && !strong && s.ptr?.consumerLike) {
      evidence.push({ source: 'reverse dns', says: `a consumer-line host name${s.ptr.domain ? ` under ${s.ptr.domain}` : ''}` })
      return { network_type: 'isp', owner: null, candidate: null, strong: false, evidence }
    }
    // Only the registrable domain: the host name itself can carry the address or a person's name.
    if (s.ptr?.domain) evidence.push({ source: 'reverse dns', says: s.ptr.domain })
    return { network_type, owner: mayName && owner ? tidy(owner) : null, candidate: candidate ? tidy(candidate) : null, strong, evidence }
  }

  // 1. MaxMind Enterprise says what kind of user is behind the address: it decides.
  if (mm?.userType) {
    const type = USER_TYPES[mm.userType] ?? 'unknown'
    evidence.push({ source: 'maxmind enterprise', says: `user_type ${mm.userType}` })
    // The organisation of the line, never the ISP's or the AS owner's name; and no person.
    const org = mm.organization && mm.organization !== mm.isp ? mm.organization : null
    if (org && looksLikePerson(org)) {
      evidence.push({ source: 'rules', says: `"${tidy(org)}": reads like a private person` })
      return done('unknown', null, true)
    }
    return done(type, org, true)
  }
  // 2. Anonymisers are hosting (and a bot signal).
  if (mm?.anonymous) {
    evidence.push({ source: 'maxmind anonymous-ip', says: mm.anonymous })
    return done('hosting', null, true)
  }
  // 3. Connection type: consumer lines decide; a corporate line names its organisation.
  const conn = mm?.connectionType ? CONNECTION_TYPES[mm.connectionType] : undefined
  if (conn && conn !== 'corporate') {
    evidence.push({ source: 'maxmind connection-type', says: mm!.connectionType! })
    return done(conn, null, true)
  }
  if (conn === 'corporate') {
    evidence.push({ source: 'maxmind connection-type', says: 'Corporate' })
    const org = mm?.organization && mm.organization !== mm.isp ? mm.organization : null
    if (org) {
      evidence.push({ source: 'maxmind isp', says: `organization ${org}` })
      const named = byName(org)
      // A corporate line of a company on an ISP's network: the customer, not the ISP.
      // An organisation that reads like a provider, a pool label or a person is none.
      if (!COMPANY_TYPES.includes(named.type)) {
        evidence.push({ source: 'rules', says: `"${tidy(org)}": ${named.rule}` })
        return done(named.type, null, true)
      }
      return done(named.type, org, true)
    }
  }
  // 4. The curated AS lists: providers first (privacy), then organisations known to use their network themselves.
  if (asn) {
    for (const [list, type, label] of PROVIDER_LISTS) {
      const known = list.get(asn.asn)
      if (known !== undefined) {
        evidence.push({ source: 'curated AS list', says: `AS${asn.asn} ${known}: ${label}` })
        // A corporate line on a provider's network: a business, but which one is not known.
        return done(conn === 'corporate' ? 'business' : type, null, true)
      }
    }
  }
  const org = asn ? ORGANISATION_ASNS.get(asn.asn) : undefined
  if (asn && org && conn !== 'corporate') {
    evidence.push({ source: 'curated AS list', says: `AS${asn.asn} ${org.name}: ${org.type} network of its own` })
    return done(org.type, org.name, true)
  }
  // Another AS of the same owner name is on a curated list: this one is the same kind.
  const listed = s.ownerList
  if (asn && listed && conn !== 'corporate') {
    if (listed.kind === 'provider') {
      evidence.push({ source: 'curated AS list', says: `"${tidy(asn.org)}" owns listed AS: ${listed.label}` })
      return done(listed.type, null, true)
    }
    evidence.push({ source: 'curated AS list', says: `"${tidy(asn.org)}" owns listed AS of ${listed.name}` })
    return done(listed.type, listed.name, true)
  }
  // 5. Word rules on the owner's name (the ISP database's organisation first: it names
  //    the customer of a block where the AS owner is only the carrier).
  const owner = mm?.organization ?? mm?.isp ?? asn?.org ?? null
  if (!owner) {
    evidence.push({ source: 'rules', says: 'no network owner known' })
    return done(conn === 'corporate' ? 'business' : 'unknown', null, conn === 'corporate')
  }
  const named = byName(owner)
  evidence.push({ source: 'rules', says: `"${tidy(owner)}": ${named.rule}` })
  if (named.nameless) return done(named.type, null, false)
  if (named.type === 'business' && !named.positive) {
    // Only now, after every provider and person rule said nothing: a subsidiary or
    // regional network named after a listed organisation ("Walmart Canada Corporation").
    if (s.orgPrefix) {
      evidence.push({ source: 'curated AS list', says: `the name starts with that of ${s.orgPrefix.name}` })
      return done(s.orgPrefix.type, s.orgPrefix.name, false)
    }
    return done('unknown', null, false, owner)
  }
  return done(named.type, owner, false)
}

/**
 * Owner names of the curated lists' AS numbers, so that another AS of the same owner
 * (a company's or an ISP's second network) is treated alike. Names are compared without
 * legal forms ("SIEMENS AG" and "Siemens Corporation" are one owner). A name that
 * providers and organisations share counts as a provider: privacy first.
 */
export function ownerListings(ownerNames: (asns: ReadonlySet<number>) => Map<number, Set<string>>): Map<string, OwnerListing> {
  const out = new Map<string, OwnerListing>()
  const orgs = ownerNames(new Set(ORGANISATION_ASNS.keys()))
  for (const [asn, names] of orgs) {
    const o = ORGANISATION_ASNS.get(asn)!
    for (const n of names) if (nameKey(n)) out.set(nameKey(n), { kind: 'organisation', type: o.type, name: o.name })
  }
  // Provider names are set last, so that they win over an organisation of the same name
  // (and in reverse order, so that the first list a name is on says what it is).
  for (const [list, type, label] of [...PROVIDER_LISTS].reverse()) {
    for (const names of ownerNames(new Set(list.keys())).values()) {
      for (const n of names) if (nameKey(n)) out.set(nameKey(n), { kind: 'provider', type, label })
    }
  }
  return out
}

/**
 * The organisation list's names as word prefixes. Names of three letters or fewer
 * ("ING", "AXA", "3M") are left out: as the first word of an unrelated owner's name
 * they would name the wrong company.
 */
export function orgPrefixes(): Map<string, { type: 'business' | 'education' | 'government'; name: string }> {
  const out = new Map<string, { type: 'business' | 'education' | 'government'; name: string }>()
  for (const o of ORGANISATION_ASNS.values()) {
    const key = nameKey(o.name)
    if (key.replace(/\s/g, '').length > 3) out.set(key, { type: o.type, name: o.name })
  }
  return out
}

/** The longest listed name that is a whole-word prefix of the owner's normalised name. */
export function findOrgPrefix(owner: string, prefixes: Map<string, { type: 'business' | 'education' | 'government'; name: string }>) {
  const words = nameKey(owner).split(' ')
  for (let n = words.length; n >= 1; n--) {
    const hit = prefixes.get(words.slice(0, n).join(' '))
    if (hit) return hit
  }
  return null
}
