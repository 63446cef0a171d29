// One address in, everything Spoor may say about it out: network type, the company
// (or null), AS, location and the evidence. `npm run lookup` and the enrichment job
// both call lookup(). Nothing here sends an address anywhere unless RDNS is on.
import type { Config } from '../lib/config.ts'
import { classify, type Evidence, findOrgPrefix, type NetworkType, orgPrefixes, type OwnerListing, ownerListings } from './classify.ts'
import { type Company, companyId, type Knowledge, nameKey } from './company.ts'
import type { GeoReader, Place } from './geo.ts'
import { ipv4ToString, networkOf, parseIp } from '../lib/ip.ts'
import { CONSUMER_PTR_DOMAINS } from './rules-data.ts'
import { AsnTable, type AsnSource } from './sources/asn.ts'
import { Dbip } from './sources/dbip.ts'
import { MaxMind } from './sources/maxmind.ts'
import type { ReloadResult } from './sources/mmdb.ts'
import { ReverseDns } from './sources/rdns.ts'

export interface LookupResult {
  ip: string
  network: string | null
  network_type: NetworkType
  company: Company | null
  /**
   * Type 'unknown' only: the owner's name when it reads like an organisation (no provider,
   * no private person) that no list or directory names. What the review queue shows.
   */
  candidate: string | null
  asn: number | null
  as_org: string | null
  country: string
  city: string
  evidence: Evidence[]
}

export interface IntelParts {
  asn: AsnSource
  dbip: Dbip | null
  maxmind: MaxMind | null
  rdns: ReverseDns | null
  knowledge: Knowledge
  companyTypes: readonly NetworkType[]
  /** Name owners that are no known provider without positive evidence (NAME_UNVERIFIED_OWNERS). */
  nameUnverified?: boolean
}

const EMPTY_PLACE: Place = { country: '', region: '', city: '', postcode: '' }

interface OwnerFacts {
  ownerList: OwnerListing | null
  orgPrefix: ReturnType<typeof findOrgPrefix>
}
const NO_OWNER_FACTS: OwnerFacts = { ownerList: null, orgPrefix: null }

export class IpIntel implements GeoReader {
  private readonly listings: Map<string, OwnerListing>
  private readonly prefixes = orgPrefixes()

  constructor(readonly parts: IntelParts) {
    this.listings = ownerListings((asns) => parts.asn.ownerNames(asns))
  }

  /** Opens every configured source; a configured file that cannot be read stops the start. */
  static async open(
    config: Pick<Config, 'maxmindDbPaths' | 'dbip' | 'rdns' | 'companyNetworkTypes' | 'nameUnverifiedOwners'>,
    knowledge: Knowledge,
  ): Promise<IpIntel> {
    const [dbip, maxmind] = await Promise.all([
      config.dbip === 'off' ? Promise.resolve(null) : Dbip.open(config.dbip),
      config.maxmindDbPaths.length > 0 ? MaxMind.open(config.maxmindDbPaths) : Promise.resolve(null),
    ])
    return new IpIntel({
      asn: AsnTable.load(),
      dbip,
      maxmind,
      rdns: config.rdns ? new ReverseDns(CONSUMER_PTR_DOMAINS) : null,
      knowledge,
      companyTypes: config.companyNetworkTypes,
      nameUnverified: config.nameUnverifiedOwners,
    })
  }

  // What the owner's name says is the same for each of its addresses: worked out once
  // per AS owner (at most the table's 80k names), not per lookup (7% of lookup time).
  private readonly ownerFactsByOrg = new Map<string, OwnerFacts>()
  private ownerFacts(org: string): OwnerFacts {
    let f = this.ownerFactsByOrg.get(org)
    if (!f) {
      f = { ownerList: this.listings.get(nameKey(org)) ?? null, orgPrefix: findOrgPrefix(org, this.prefixes) }
      this.ownerFactsByOrg.set(org, f)
    }
    return f
  }

  /** Country and city for the collector (MaxMind City when configured, else DB-IP). Never throws. */
  lookup(text: string): Place | null {
    const ip = parseIp(text)
    if (!ip) return null
    return this.parts.maxmind?.lookup(ip, text).place ?? this.parts.dbip?.lookup(ip, text) ?? null
  }

  /**
   * `rdns: false` skips reverse DNS even when it is on (the opt-out page: no query for a
   * visitor without consent). `place: false` looks up country and city only for an
   * address that turns out to be a company's (its address needs them): the enrichment
   * jobs want the network type and the company, and the city lookup was more than half
   * of a lookup's time in the bench.
   */
  async lookupIp(text: string, opts: { rdns?: boolean; place?: boolean } = {}): Promise<LookupResult> {
    const ip = parseIp(text)
    if (!ip) {
      return {
        ip: text,
        network: null,
        network_type: 'unknown',
        company: null,
        candidate: null,
        asn: null,
        as_org: null,
        country: '',
        city: '',
        evidence: [{ source: 'input', says: 'not an IP address' }],
      }
    }
    const { asn: asnTable, dbip, maxmind, rdns, knowledge } = this.parts
    const asn = asnTable.lookup(ip)
    const mm = maxmind?.lookup(ip, text) ?? null
    // The canonical form: an IPv4 client stored as ::ffff:a.b.c.d is asked as a.b.c.d (in-addr.arpa).
    const ptr = rdns && opts.rdns !== false ? await rdns.lookup(ip.v === 4 ? ipv4ToString(ip.n) : text) : null
    // The owner classify() judges: MaxMind's AS where present, else the registry's.
    const owner = mm?.asn ?? asn
    const { ownerList, orgPrefix } = owner ? this.ownerFacts(owner.org) : NO_OWNER_FACTS
    const c = classify({ asn, maxmind: mm, ptr, ownerList, orgPrefix })
    const wantPlace = opts.place !== false || c.owner !== null || c.candidate !== null
    const place = mm?.place ?? (wantPlace ? dbip?.lookup(ip, text) : null) ?? EMPTY_PLACE
    if (mm?.place) c.evidence.push({ source: 'maxmind city', says: [place.city, place.country].filter(Boolean).join(', ') })
    else if (place.country) c.evidence.push({ source: 'db-ip city lite', says: [place.city, place.country].filter(Boolean).join(', ') })
    const network = networkOf(ip)
    const result: LookupResult = {
      ip: text,
      network,
      network_type: c.network_type,
      company: null,
      candidate: null,
      asn: mm?.asn?.asn ?? asn?.asn ?? null,
      as_org: mm?.asn?.org ?? asn?.org ?? null,
      country: place.country,
      city: place.city,
      evidence: c.evidence,
    }
    // An owner without positive evidence is named only when the operator's directory
    // knows it as a company (or the operator chose NAME_UNVERIFIED_OWNERS).
    if (!c.owner && c.candidate) {
      const known = knowledge.directory('', c.candidate)
      if (known || this.parts.nameUnverified) {
        c.owner = c.candidate
        c.network_type = 'business'
        result.network_type = 'business'
        if (!known) c.evidence.push({ source: 'settings', says: 'NAME_UNVERIFIED_OWNERS: named without positive evidence' })
      } else if (c.network_type === 'unknown' && !knowledge.suppressed({ id: companyId(c.candidate), name: c.candidate, domain: '' }, ip)) {
        // An organisation that asked not to be recognised is not offered for naming either.
        result.candidate = c.candidate
      }
    }
    if (!c.owner || !this.parts.companyTypes.includes(c.network_type)) return result

    // A domain for the company: learned from forms, MaxMind Domain, or the PTR name.
    const learned = knowledge.learnedDomain(network)
    let domain = ''
    if (learned) {
      domain = learned.domain
      c.evidence.push({ source: 'learned from forms', says: `${network} → ${learned.domain} (confidence ${learned.confidence.toFixed(2)})` })
    } else if (mm?.domain) {
      domain = mm.domain
      c.evidence.push({ source: 'maxmind domain', says: mm.domain })
    } else if (ptr?.domain && !ptr.consumerLike) {
      domain = ptr.domain
    }
    const dir = knowledge.directory(domain, c.owner)
    if (dir) c.evidence.push({ source: 'company directory', says: `${dir.name}${dir.domain ? ` (${dir.domain})` : ''}` })
    const name = dir?.name || c.owner
    const company: Company = {
      id: companyId(c.owner),
      name,
      domain: dir?.domain || domain,
      address: dir?.address ?? '',
      postcode: dir?.postcode || place.postcode,
      city: dir?.city || place.city,
      country: dir?.country || place.country,
      industry: dir?.industry ?? '',
      employee_range: dir?.employee_range ?? '',
      phone: dir?.phone ?? '',
      website: dir?.website ?? '',
      registration_number: dir?.registration_number ?? '',
    }
    const why = knowledge.suppressed(company, ip, c.owner)
    if (why) {
      c.evidence.push({ source: 'suppression', says: why })
      return result
    }
    result.company = company
    return result
  }

  async reload(): Promise<ReloadResult[]> {
    const out: ReloadResult[] = []
    if (this.parts.dbip) out.push(...(await this.parts.dbip.reload()))
    if (this.parts.maxmind) out.push(...(await this.parts.maxmind.reload()))
    return out
  }
}
