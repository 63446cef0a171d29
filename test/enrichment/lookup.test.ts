// lookupIp: the one function behind `npm run lookup` and the enrichment job, on
// fixture data, with MaxMind Enterprise records deciding where they are present.
import { describe, expect, it } from 'vitest'
import { Knowledge } from '../../enrichment/company.ts'
import { MaxMind } from '../../enrichment/sources/maxmind.ts'
import { MmdbSource } from '../../enrichment/sources/mmdb.ts'
import { ReverseDns } from '../../enrichment/sources/rdns.ts'
import { fixtureIntel, ipIn, NETS } from '../helpers/intel.ts'
import { writeMmdb } from '../helpers/mmdb-writer.ts'

const enterprise = MaxMind.fromSources([
  {
    kind: 'enterprise',
    source: MmdbSource.fromBuffer(
      writeMmdb({
        databaseType: 'GeoIP2-Enterprise',
        ipVersion: 6,
        records: [
          // Acme's block, but this part is a residential line: Enterprise decides.
          ['198.51.100.128/25', { country: { iso_code: 'NL' }, traits: { user_type: 'residential', connection_type: 'Cable/DSL', isp: 'Acme Widgets' } }],
          // Comcast's block, but a business customer with its own name.
          ['203.0.113.64/26', { country: { iso_code: 'US' }, city: { names: { en: 'Denver' } }, traits: { user_type: 'business', connection_type: 'Corporate', isp: 'Comcast', organization: 'Rocky Mountain Bikes Inc.' } }],
        ],
      }),
    ),
  },
])

describe('lookupIp', () => {
  it('names the company of a company network, with location, AS and evidence', async () => {
    const r = await fixtureIntel().lookupIp(ipIn(NETS.acme))
    expect(r).toMatchObject({
      ip: ipIn(NETS.acme),
      network: '198.51.100.0/24',
      network_type: 'business',
      asn: 64500,
      as_org: 'Acme Manufacturing B.V.',
      country: 'NL',
      city: 'Utrecht',
      company: { name: 'Acme Manufacturing B.V.', country: 'NL', city: 'Utrecht', domain: '' },
    })
    expect(r.company!.id).toMatch(/^[0-9a-f]{16}$/)
    expect(r.evidence.map((e) => e.source)).toEqual(['ip-location-db/asn', 'rules', 'db-ip city lite'])
  })

  it('lets MaxMind Enterprise decide: a residential line inside a company block is no company', async () => {
    const r = await fixtureIntel({ maxmind: enterprise }).lookupIp(ipIn(NETS.acme, 200))
    expect(r).toMatchObject({ network_type: 'isp', company: null })
    expect(r.evidence).toContainEqual({ source: 'maxmind enterprise', says: 'user_type residential' })
    // Outside the Enterprise record the registry owner still counts.
    expect((await fixtureIntel({ maxmind: enterprise }).lookupIp(ipIn(NETS.acme, 5))).company?.name).toBe('Acme Manufacturing B.V.')
  })

  it('lets MaxMind Enterprise name a business customer on a consumer ISP network', async () => {
    const r = await fixtureIntel({ maxmind: enterprise }).lookupIp(ipIn(NETS.comcast, 70))
    expect(r).toMatchObject({ network_type: 'business', company: { name: 'Rocky Mountain Bikes Inc.', city: 'Denver', country: 'US' } })
    expect((await fixtureIntel({ maxmind: enterprise }).lookupIp(ipIn(NETS.comcast, 10))).company).toBeNull()
  })

  it('takes the domain from reverse DNS when switched on, and the directory fills in the rest', async () => {
    const knowledge = Knowledge.empty()
    knowledge.setDirectory([{ name: 'Acme Widgets', domain: 'acme.example', address: 'Stationsplein 1', postcode: '3511 AB', city: 'Utrecht', country: 'NL', industry: 'Manufacturing', employee_range: '50-199', phone: '', website: 'https://acme.example', registration_number: '12345678' }])
    const rdns = new ReverseDns(new Set(), async () => ['gw1.office.acme.example'])
    const r = await fixtureIntel({ rdns, knowledge }).lookupIp(ipIn(NETS.acme))
    expect(r.company).toMatchObject({ name: 'Acme Widgets', domain: 'acme.example', industry: 'Manufacturing', registration_number: '12345678' })
    expect(r.evidence).toContainEqual({ source: 'reverse dns', says: 'gw1.office.acme.example' })
  })

  it('never names a company whose type is not allowed by COMPANY_NETWORK_TYPES', async () => {
    const intel = fixtureIntel({ companyTypes: ['business'] })
    expect((await intel.lookupIp(ipIn(NETS.university))).company).toBeNull()
    expect((await intel.lookupIp(ipIn(NETS.acme))).company).not.toBeNull()
  })

  it('answers an address outside every range, and garbage, without a company and without throwing', async () => {
    expect(await fixtureIntel().lookupIp('10.1.2.3')).toMatchObject({ network_type: 'unknown', company: null, asn: null })
    expect(await fixtureIntel().lookupIp('not-an-ip')).toMatchObject({ network_type: 'unknown', company: null, network: null })
  })

  it('gives the collector country and city, and null for a miss', () => {
    const intel = fixtureIntel()
    expect(intel.lookup(ipIn(NETS.university))).toMatchObject({ country: 'NL', city: 'Amsterdam' })
    expect(intel.lookup('10.1.2.3')).toBeNull()
    expect(intel.lookup('garbage')).toBeNull()
  })
})
