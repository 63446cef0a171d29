// MaxMind databases the operator has (MAXMIND_DB_PATHS): GeoIP2/GeoLite2 City and
// Country, ASN, ISP, Connection-Type, Domain, Anonymous-IP and Enterprise. Each file
// says what it is in its metadata, so one list of paths is enough. Read with
// `maxmind`'s raw records: @maxmind/geoip2-node's typed models cost about 20 times
// more per lookup and give nothing the classification needs.
import type { ParsedIp } from '../../lib/ip.ts'
import type { Place } from './dbip.ts'
import { MmdbSource, type ReloadResult } from './mmdb.ts'

export type MaxMindKind = 'enterprise' | 'city' | 'asn' | 'isp' | 'connection-type' | 'domain' | 'anonymous-ip'

interface Names {
  names?: Record<string, string>
}
interface Traits {
  user_type?: string
  connection_type?: string
  isp?: string
  organization?: string
  domain?: string
  autonomous_system_number?: number
  autonomous_system_organization?: string
  is_anonymous?: boolean
  is_anonymous_vpn?: boolean
  is_hosting_provider?: boolean
  is_public_proxy?: boolean
  is_residential_proxy?: boolean
  is_tor_exit_node?: boolean
}
/** The union of the record shapes of all MaxMind databases, read leniently. */
interface AnyRecord extends Traits {
  city?: Names
  country?: Names & { iso_code?: string }
  postal?: { code?: string }
  subdivisions?: Array<Names & { iso_code?: string }>
  traits?: Traits
}

/** What the MaxMind files say about one address; absent fields were not known. */
export interface MaxMindSignals {
  place?: Place
  asn?: { asn: number; org: string }
  isp?: string
  organization?: string
  domain?: string
  userType?: string
  connectionType?: string
  anonymous?: 'hosting' | 'vpn' | 'proxy' | 'tor' | 'anonymous'
  sources: MaxMindKind[]
}

function kindOf(databaseType: string): MaxMindKind | null {
  const t = databaseType.toLowerCase()
  if (t.includes('enterprise')) return 'enterprise'
  if (t.includes('anonymous')) return 'anonymous-ip'
  if (t.includes('connection-type')) return 'connection-type'
  if (t.includes('domain')) return 'domain'
  if (t.includes('isp')) return 'isp'
  if (t.includes('asn')) return 'asn'
  if (t.includes('city') || t.includes('country')) return 'city'
  return null
}

const name = (n?: Names) => n?.names?.en ?? ''

function anonymity(t: Traits): MaxMindSignals['anonymous'] {
  if (t.is_tor_exit_node) return 'tor'
  if (t.is_hosting_provider) return 'hosting'
  if (t.is_anonymous_vpn) return 'vpn'
  if (t.is_public_proxy || t.is_residential_proxy) return 'proxy'
  if (t.is_anonymous) return 'anonymous'
  return undefined
}

export class MaxMind {
  constructor(private readonly dbs: ReadonlyArray<{ kind: MaxMindKind; source: MmdbSource<AnyRecord> }>) {}

  /** Opens every path; a file that is missing or not an MMDB stops the start, naming it. */
  static async open(paths: readonly string[]): Promise<MaxMind> {
    const dbs = []
    for (const path of paths) {
      const source = await MmdbSource.open<AnyRecord>(path)
      const kind = kindOf(source.databaseType)
      if (!kind) throw new Error(`${path}: unsupported MaxMind database type "${source.databaseType}"`)
      dbs.push({ kind, source })
    }
    return new MaxMind(dbs)
  }

  static fromSources(dbs: ReadonlyArray<{ kind: MaxMindKind; source: MmdbSource<AnyRecord> }>): MaxMind {
    return new MaxMind(dbs)
  }

  get kinds(): MaxMindKind[] {
    return this.dbs.map((d) => d.kind)
  }

  lookup(ip: ParsedIp, text: string): MaxMindSignals {
    const s: MaxMindSignals = { sources: [] }
    for (const { kind, source } of this.dbs) {
      const r = source.get(ip, text)
      if (!r) continue
      s.sources.push(kind)
      const t: Traits = { ...r, ...r.traits }
      if (r.country?.iso_code && !s.place) {
        s.place = { country: r.country.iso_code, region: name(r.subdivisions?.[0]), city: name(r.city), postcode: r.postal?.code ?? '' }
      }
      if (t.autonomous_system_number && !s.asn) s.asn = { asn: t.autonomous_system_number, org: t.autonomous_system_organization ?? '' }
      s.isp ??= t.isp
      s.organization ??= t.organization
      s.domain ??= t.domain
      s.userType ??= t.user_type
      s.connectionType ??= t.connection_type
      s.anonymous ??= anonymity(t)
    }
    return s
  }

  async reload(): Promise<ReloadResult[]> {
    return Promise.all(this.dbs.map((d) => d.source.reload()))
  }
}
