// Network type of an address, and the owner that may stand for a company.
// Companies only, never private persons: residential ISP, mobile and hosting
// networks, person-like owner names and ISP pool labels never yield a company.
// Sources in order of authority: MaxMind Enterprise user_type, anonymity flags and
// connection type; the curated AS lists; word rules on the owner's name; reverse DNS.
import type { AsnRecord } from './sources/asn.ts'
import type { MaxMindSignals } from './sources/maxmind.ts'
import type { PtrSignal } from './sources/rdns.ts'
import { EDUCATION_NETWORK_ASNS, HOSTING_ASNS, ISP_ASNS, MOBILE_ASNS } from './rules-data.ts'
import { ORGANISATION_ASNS } from './rules-organisations.ts'
import {
  CARRIER_BRANDS,
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

export interface Evidence {
  source: string
  says: string
}

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
}

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

/** Type of an owner name by the word rules alone (no curated list said anything). */
function byName(name: string): { type: NetworkType; rule: string; positive?: boolean } {
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
      evidence.push({ source: 'reverse dns', says: `${s.ptr.hostname} looks like a consumer line` })
      return { network_type: 'isp', owner: null, candidate: null, strong: false, evidence }
    }
    if (s.ptr) evidence.push({ source: 'reverse dns', says: s.ptr.hostname })
    return { network_type, owner: mayName && owner ? tidy(owner) : null, candidate: candidate ? tidy(candidate) : null, strong, evidence }
  }

  // 1. MaxMind Enterprise says what kind of user is behind the address: it decides.
  if (mm?.userType) {
    const type = USER_TYPES[mm.userType] ?? 'unknown'
    evidence.push({ source: 'maxmind enterprise', says: `user_type ${mm.userType}` })
    return done(type, mm.organization ?? mm.isp ?? asn?.org ?? null, true)
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
      if (named.type === 'unknown') return done('unknown', null, true)
      return done(COMPANY_TYPES.includes(named.type) ? named.type : 'business', org, true)
    }
  }
  // 4. The curated AS lists: providers first (privacy), then organisations known to use their network themselves.
  if (asn) {
    const lists: Array<[ReadonlyMap<number, string>, NetworkType, string]> = [
      [HOSTING_ASNS, 'hosting', 'hosting/cloud/CDN'],
      [MOBILE_ASNS, 'mobile', 'mobile carrier'],
      [ISP_ASNS, 'isp', 'access ISP or carrier'],
      [EDUCATION_NETWORK_ASNS, 'education', 'research and education network (carries many institutions)'],
    ]
    for (const [list, type, label] of lists) {
      const known = list.get(asn.asn)
      if (known !== undefined) {
        evidence.push({ source: 'curated AS list', says: `AS${asn.asn} ${known}: ${label}` })
        // An NREN's own name is not the visitor's institution.
        if (conn === 'corporate') return done('business', null, true)
        return done(type, null, true)
      }
    }
  }
  const org = asn ? ORGANISATION_ASNS.get(asn.asn) : undefined
  if (asn && org && conn !== 'corporate') {
    evidence.push({ source: 'curated AS list', says: `AS${asn.asn} ${org.name}: ${org.type} network of its own` })
    return done(org.type, org.name, true)
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
  if (named.type === 'business' && !named.positive) return done('unknown', null, false, owner)
  return done(named.type, owner, false)
}
