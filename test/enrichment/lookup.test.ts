// lookupIp: the one function behind `npm run lookup` and the enrichment job, on
// fixture data, with MaxMind Enterprise records deciding where they are present.
import { describe, expect, it } from 'vitest'
import { companyId, Knowledge } from '../../enrichment/company.ts'
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
          [
            '203.0.113.64/26',
            {
              country: { iso_code: 'US' },
              city: { names: { en: 'Denver' } },
              traits: { user_type: 'business', connection_type: 'Corporate', isp: 'Comcast', organization: 'Rocky Mountain Bikes Inc.' },
            },
          ],
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

  it('with place: false still gives a company its city and country, and skips them for a consumer line', async () => {
    const intel = fixtureIntel()
    const company = await intel.lookupIp(ipIn(NETS.acme), { place: false })
    expect(company.company).toMatchObject({ name: 'Acme Manufacturing B.V.', country: 'NL', city: 'Utrecht' })
    const consumer = await intel.lookupIp(ipIn(NETS.comcast), { place: false })
    expect(consumer.network_type).toBe((await intel.lookupIp(ipIn(NETS.comcast))).network_type)
    expect(consumer).toMatchObject({ company: null, country: '', city: '' })
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

  it('a name suppression of the owner also covers the company as stored under its directory name', async () => {
    // Stored companies keep the shown name (here the directory's), not the owner's;
    // applying suppressions to stored visits must still find them.
    const knowledge = Knowledge.empty()
    knowledge.setSuppressions([{ id: 's1', kind: 'name', value: 'Acme Manufacturing B.V.' }])
    const stored = { id: companyId('Acme Manufacturing B.V.'), name: 'Acme Widgets', domain: 'acme.example' }
    expect(knowledge.suppressed(stored, null)).not.toBeNull()
    expect(knowledge.suppressed({ ...stored, id: companyId('Other B.V.'), name: 'Other' }, null)).toBeNull()
  })

  it('takes the domain from reverse DNS when switched on, and the directory fills in the rest', async () => {
    const knowledge = Knowledge.empty()
    knowledge.setDirectory([
      {
        name: 'Acme Widgets',
        domain: 'acme.example',
        address: 'Stationsplein 1',
        postcode: '3511 AB',
        city: 'Utrecht',
        country: 'NL',
        industry: 'Manufacturing',
        employee_range: '50-199',
        phone: '',
        website: 'https://acme.example',
        registration_number: '12345678',
      },
    ])
    const rdns = new ReverseDns(new Set(), async () => ['gw1.office.acme.example'])
    const r = await fixtureIntel({ rdns, knowledge }).lookupIp(ipIn(NETS.acme))
    expect(r.company).toMatchObject({ name: 'Acme Widgets', domain: 'acme.example', industry: 'Manufacturing', registration_number: '12345678' })
    // Only the registrable domain goes into the evidence: host names can carry addresses or names.
    expect(r.evidence).toContainEqual({ source: 'reverse dns', says: 'acme.example' })
    expect(JSON.stringify(r)).not.toContain('gw1.office')
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

describe('lookupIp and the curated lists', () => {
  it('treats another AS of a listed provider the same, by owner name', async () => {
    // AS 64999 is on no list, but its owner also owns AS7922 (Comcast, a listed ISP).
    const { AsnTable } = await import('../../enrichment/sources/asn.ts')
    const asn = AsnTable.load({
      v4: '3221225984,3221226239,7922,"Comcast Cable Communications, LLC"\n3325256704,3325256959,64999,"Comcast Cable Communications, LLC"',
      v6: '',
    })
    const { IpIntel } = await import('../../enrichment/lookup.ts')
    const intel = new IpIntel({
      asn,
      dbip: null,
      maxmind: null,
      rdns: null,
      knowledge: Knowledge.empty(),
      companyTypes: ['business', 'education', 'government'],
    })
    const r = await intel.lookupIp('198.51.100.1')
    expect(r).toMatchObject({ asn: 64999, network_type: 'isp', company: null })
  })

  it('asks reverse DNS about an IPv4 visitor in dotted form, also when stored as ::ffff:a.b.c.d', async () => {
    const asked: string[] = []
    const rdns = new ReverseDns(new Set(), async (ip) => (asked.push(ip), []))
    await fixtureIntel({ rdns }).lookupIp(`::ffff:${ipIn(NETS.acme)}`)
    expect(asked).toEqual([ipIn(NETS.acme)])
  })

  it('never names an Enterprise business line without an organisation, or with a person as organisation', async () => {
    const m = MaxMind.fromSources([
      {
        kind: 'enterprise',
        source: MmdbSource.fromBuffer(
          writeMmdb({
            databaseType: 'GeoIP2-Enterprise',
            ipVersion: 6,
            records: [
              ['203.0.113.0/26', { traits: { user_type: 'business', isp: 'Comcast' } }],
              ['203.0.113.128/26', { traits: { user_type: 'business', isp: 'Comcast', organization: 'Jan de Vries' } }],
            ],
          }),
        ),
      },
    ])
    expect((await fixtureIntel({ maxmind: m }).lookupIp(ipIn(NETS.comcast, 5))).company).toBeNull()
    expect((await fixtureIntel({ maxmind: m }).lookupIp(ipIn(NETS.comcast, 130))).company).toBeNull()
  })
})
