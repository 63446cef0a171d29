// IP intelligence on fixture data: a small AS range table in the @ip-location-db/asn
// CSV format and DB-IP-like city databases written with our MMDB writer. Tests that
// need the real registry data say so and open it themselves.
import { Knowledge } from '../../enrichment/company.ts'
import type { NetworkType } from '../../enrichment/classify.ts'
import { parseCidr } from '../../lib/ip.ts'
import { IpIntel } from '../../enrichment/lookup.ts'
import { AsnTable } from '../../enrichment/sources/asn.ts'
import { Dbip } from '../../enrichment/sources/dbip.ts'
import type { MaxMind } from '../../enrichment/sources/maxmind.ts'
import { MmdbSource } from '../../enrichment/sources/mmdb.ts'
import type { ReverseDns } from '../../enrichment/sources/rdns.ts'
import { writeMmdb } from './mmdb-writer.ts'

export interface FixtureNet {
  cidr: string
  asn: number
  org: string
  country: string
  city: string
}

/** Documentation and benchmark address blocks (RFC 5737, 3849, 2544), one owner each. */
export const NETS = {
  acme: { cidr: '198.51.100.0/24', asn: 64500, org: 'Acme Manufacturing B.V.', country: 'NL', city: 'Utrecht' },
  comcast: { cidr: '203.0.113.0/24', asn: 7922, org: 'Comcast Cable Communications, LLC', country: 'US', city: 'Philadelphia' },
  person: { cidr: '192.0.2.0/24', asn: 64501, org: 'Jan de Vries', country: 'NL', city: 'Delft' },
  mobile: { cidr: '198.18.0.0/24', asn: 64502, org: 'Example Mobile Telecommunications Ltd', country: 'GB', city: 'London' },
  cloud: { cidr: '198.18.1.0/24', asn: 64503, org: 'Example Cloud Hosting Ltd', country: 'DE', city: 'Frankfurt am Main' },
  university: { cidr: '2001:db8:1::/48', asn: 64504, org: 'University of Example', country: 'NL', city: 'Amsterdam' },
  ministry: { cidr: '2001:db8:2::/48', asn: 64505, org: 'Ministerie van Voorbeeldzaken', country: 'NL', city: 'Den Haag' },
} satisfies Record<string, FixtureNet>

/** An address inside a fixture network: the first host plus `n`. */
export function ipIn(net: FixtureNet, n = 10): string {
  const base = net.cidr.split('/')[0]!
  if (base.includes(':')) return `${base.replace(/::$/, '')}::${n.toString(16)}`
  const parts = base.split('.')
  return `${parts[0]}.${parts[1]}.${parts[2]}.${n}`
}

const num = (x: number | readonly number[]): bigint => (typeof x === 'number' ? BigInt(x) : x.reduce((a, w) => (a << 32n) + BigInt(w), 0n))

function csvLine(net: FixtureNet): string {
  const c = parseCidr(net.cidr)!
  return `${num(c.from)},${num(c.to)},${net.asn},"${net.org.replaceAll('"', '""')}"`
}

export function fixtureAsn(nets: FixtureNet[] = Object.values(NETS)): AsnTable {
  // The package's files are sorted by range start; so must these be.
  const start = (n: FixtureNet) => num(parseCidr(n.cidr)!.from)
  const sorted = [...nets].sort((a, b) => (start(a) < start(b) ? -1 : 1))
  const v4 = sorted
    .filter((n) => !n.cidr.includes(':'))
    .map(csvLine)
    .join('\n')
  const v6 = sorted
    .filter((n) => n.cidr.includes(':'))
    .map(csvLine)
    .join('\n')
  return AsnTable.load({ v4, v6 })
}

export function fixtureDbip(nets: FixtureNet[] = Object.values(NETS)): Dbip {
  const rec = (n: FixtureNet) => ({ city: n.city, country_code: n.country, state1: '', postcode: '' })
  const v4 = writeMmdb({ databaseType: 'dbip-city-lite', ipVersion: 4, records: nets.filter((n) => !n.cidr.includes(':')).map((n) => [n.cidr, rec(n)]) })
  const v6 = writeMmdb({ databaseType: 'dbip-city-lite', ipVersion: 6, records: nets.filter((n) => n.cidr.includes(':')).map((n) => [n.cidr, rec(n)]) })
  return Dbip.fromSources(MmdbSource.fromBuffer(v4), MmdbSource.fromBuffer(v6))
}

export function fixtureIntel(
  over: { nets?: FixtureNet[]; maxmind?: MaxMind; rdns?: ReverseDns; knowledge?: Knowledge; companyTypes?: NetworkType[] } = {},
): IpIntel {
  return new IpIntel({
    asn: fixtureAsn(over.nets),
    dbip: fixtureDbip(over.nets),
    maxmind: over.maxmind ?? null,
    rdns: over.rdns ?? null,
    knowledge: over.knowledge ?? Knowledge.empty(),
    companyTypes: over.companyTypes ?? ['business', 'education', 'government'],
  })
}
