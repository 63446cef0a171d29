// The IP data readers on fixtures made with our MMDB writer: open once, a miss is
// null, IPv4 and IPv6 routed to the right file, reload on a
// replaced file and keep the old reader when the new one is broken.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { networkOf, networkWords, parseCidr, parseIp } from '../../lib/ip.ts'
import { AsnTable } from '../../enrichment/sources/asn.ts'
import { Dbip } from '../../enrichment/sources/dbip.ts'
import { MaxMind } from '../../enrichment/sources/maxmind.ts'
import { MmdbSource } from '../../enrichment/sources/mmdb.ts'
import { writeMmdb } from '../helpers/mmdb-writer.ts'
import { fixtureAsn, fixtureDbip, ipIn, NETS } from '../helpers/intel.ts'

const p = (s: string) => parseIp(s)!

describe('IP parsing', () => {
  it.each([
    ['192.0.2.1', '192.0.2.0/24'],
    ['::ffff:192.0.2.1', '192.0.2.0/24'],
    ['2001:db8:1:2:3::4', '2001:db8:1::/48'],
    ['2001:db8::', '2001:db8::/48'],
    ['::1', '::/48'],
  ])('%s is in network %s', (ip, net) => {
    expect(networkOf(p(ip))).toBe(net)
  })

  it('networkWords names the same networks as networkOf, as two words with a low word of at least 2', () => {
    const words = (ip: string) => {
      const out = new Uint32Array(2)
      networkWords(parseIp(ip), out)
      return [...out]
    }
    const ips = [
      '192.0.2.1',
      '192.0.2.200',
      '::ffff:192.0.2.9',
      '192.0.3.1',
      '0.0.0.1',
      '2001:db8:1:2::1',
      '2001:db8:1:ffff::9',
      '2001:db8:2::1',
      '::1',
      '::c000:201',
    ]
    for (const a of ips) {
      expect(words(a)[1]!).toBeGreaterThanOrEqual(2)
      for (const b of ips) expect(String(words(a)) === String(words(b)), `${a} and ${b}`).toBe(networkOf(p(a)) === networkOf(p(b)))
    }
    expect(words('not an address')).toEqual([0, 2])
  })

  it.each(['', '1.2.3', '1.2.3.256', '01.2.3.4.5', 'abc', '2001:db8::g', '1.2.3.4/24'])('refuses %j', (s) => {
    expect(parseIp(s)).toBeNull()
  })

  it('reads CIDR ranges of both families', () => {
    expect(parseCidr('192.0.2.0/25')).toEqual({ v: 4, from: 0xc0000200, to: 0xc000027f })
    expect(parseCidr('2001:db8::/32')).toEqual({ v: 6, from: [0x20010db8, 0, 0, 0], to: [0x20010db8, 0xffffffff, 0xffffffff, 0xffffffff] })
    expect(parseCidr('192.0.2.0/33')).toBeNull()
  })
})

describe('AS range table', () => {
  it('finds the owner of IPv4 and IPv6 addresses and misses outside every range', () => {
    const t = fixtureAsn()
    expect(t.lookup(p(ipIn(NETS.acme)))).toEqual({ asn: 64500, org: 'Acme Manufacturing B.V.' })
    expect(t.lookup(p(ipIn(NETS.university)))).toEqual({ asn: 64504, org: 'University of Example' })
    expect(t.lookup(p('198.51.101.1'))).toBeNull()
    expect(t.lookup(p('2001:db8:3::1'))).toBeNull()
  })

  it('clips a range that starts inside the previous one', () => {
    const t = AsnTable.load({ v4: '100,200,1,"A"\n150,300,2,"B"\n160,170,3,"C"', v6: '' })
    expect(t.stats).toMatchObject({ v4: 2, clipped: 2 })
    expect(t.lookup({ v: 4, n: 180 })).toEqual({ asn: 1, org: 'A' })
    expect(t.lookup({ v: 4, n: 250 })).toEqual({ asn: 2, org: 'B' })
  })

  it('the packaged DB-IP files: country level gives the country alone, city level the same country and a city', async () => {
    const [country, city] = await Promise.all([Dbip.open('country'), Dbip.open('city')])
    // 8.8.8.8 (Google, US) and 2a00:1450:4001::1 (Google, Frankfurt) in DB-IP Lite.
    for (const [text, cc] of [
      ['8.8.8.8', 'US'],
      ['2a00:1450:4001::1', 'DE'],
    ] as const) {
      const ip = p(text)
      expect(country.lookup(ip, text)).toEqual({ country: cc, region: '', city: '', postcode: '' })
      const c = city.lookup(ip, text)
      expect(c?.country).toBe(cc)
      expect(c?.city).not.toBe('')
    }
    expect(country.lookup(p('10.1.2.3'), '10.1.2.3')).toBeNull()
  })

  it('loads the packaged registry data: both families, the known overlap clipped', () => {
    const t = AsnTable.load()
    expect(t.stats.v4).toBeGreaterThan(300_000)
    expect(t.stats.v6).toBeGreaterThan(80_000)
    expect(t.stats.clipped).toBeGreaterThanOrEqual(1)
    expect(t.lookup(p('17.253.144.10'))?.asn).toBe(714) // Apple owns 17.0.0.0/8
  })
})

describe('DB-IP city files', () => {
  it('answers each address from the file of its family', () => {
    const geo = fixtureDbip()
    expect(geo.lookup(p(ipIn(NETS.acme)), ipIn(NETS.acme))).toMatchObject({ country: 'NL', city: 'Utrecht' })
    expect(geo.lookup(p(ipIn(NETS.university)), ipIn(NETS.university))).toMatchObject({ country: 'NL', city: 'Amsterdam' })
    expect(geo.lookup(p('198.51.101.1'), '198.51.101.1')).toBeNull()
  })

  it('never asks the IPv4 file about an IPv6 address (it would answer wrongly)', () => {
    // An IPv4 "file" that covers everything: asked about IPv6, it must not be used.
    const v4 = MmdbSource.fromBuffer<object>(writeMmdb({ databaseType: 'dbip', ipVersion: 4, records: [['0.0.0.0/0', { country_code: 'CN', city: 'Wrong' }]] }))
    const v6 = MmdbSource.fromBuffer<object>(
      writeMmdb({ databaseType: 'dbip', ipVersion: 6, records: [['2001:db8::/32', { country_code: 'DE', city: 'Right' }]] }),
    )
    const geo = Dbip.fromSources(v4, v6)
    expect(geo.lookup(p('2001:db8::1'), '2001:db8::1')).toMatchObject({ country: 'DE', city: 'Right' })
    expect(v4.get(p('2001:db8::1'), '2001:db8::1')).toBeNull()
  })
})

describe('MaxMind databases', () => {
  const enterprise = writeMmdb({
    databaseType: 'GeoIP2-Enterprise',
    ipVersion: 6,
    records: [
      [
        '198.51.100.0/24',
        {
          country: { iso_code: 'NL' },
          city: { names: { en: 'Utrecht' } },
          postal: { code: '3511' },
          traits: {
            user_type: 'business',
            connection_type: 'Corporate',
            organization: 'Acme Manufacturing B.V.',
            isp: 'KPN',
            autonomous_system_number: 1136,
            autonomous_system_organization: 'KPN B.V.',
            domain: 'acme.example',
          },
        },
      ],
      ['203.0.113.0/24', { country: { iso_code: 'US' }, traits: { user_type: 'residential', connection_type: 'Cable/DSL', isp: 'Comcast' } }],
    ],
  })
  const asn = writeMmdb({
    databaseType: 'GeoLite2-ASN',
    ipVersion: 6,
    records: [['198.51.100.0/24', { autonomous_system_number: 1136, autonomous_system_organization: 'KPN B.V.' }]],
  })

  it('recognises each file by its metadata and merges what they say', () => {
    const m = MaxMind.fromSources([
      { kind: 'enterprise', source: MmdbSource.fromBuffer(enterprise) },
      { kind: 'asn', source: MmdbSource.fromBuffer(asn) },
    ])
    expect(m.lookup(p('198.51.100.7'), '198.51.100.7')).toEqual({
      sources: ['enterprise', 'asn'],
      place: { country: 'NL', region: '', city: 'Utrecht', postcode: '3511' },
      asn: { asn: 1136, org: 'KPN B.V.' },
      isp: 'KPN',
      organization: 'Acme Manufacturing B.V.',
      domain: 'acme.example',
      userType: 'business',
      connectionType: 'Corporate',
      anonymous: undefined,
    })
    expect(m.lookup(p('192.0.2.1'), '192.0.2.1')).toEqual({ sources: [] })
  })

  it('opens files by path and refuses one that is not a MaxMind database, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoor-mmdb-'))
    writeFileSync(join(dir, 'ent.mmdb'), enterprise)
    writeFileSync(join(dir, 'junk.mmdb'), 'not a database')
    expect((await MaxMind.open([join(dir, 'ent.mmdb')])).kinds).toEqual(['enterprise'])
    await expect(MaxMind.open([join(dir, 'junk.mmdb')])).rejects.toThrow(/junk\.mmdb is not a readable MaxMind DB file/)
  })
})

describe('MmdbSource', () => {
  const db = (city: string) => writeMmdb({ databaseType: 'dbip', ipVersion: 4, records: [['198.51.100.0/24', { country_code: 'NL', city }]] })

  it('reloads a replaced file, and keeps the old reader when the new file is broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoor-mmdb-'))
    const file = join(dir, 'city.mmdb')
    writeFileSync(file, db('Utrecht'))
    const src = await MmdbSource.open<{ city: string }>(file)
    const ip = p('198.51.100.1')
    expect(src.get(ip, '198.51.100.1')?.city).toBe('Utrecht')
    expect(await src.reload()).toBe('unchanged')
    writeFileSync(file, db('Rotterdam - a longer name'))
    expect(await src.reload()).toBe('reloaded')
    expect(src.get(ip, '198.51.100.1')?.city).toBe('Rotterdam - a longer name')
    writeFileSync(file, 'half a file')
    expect(await src.reload()).toBe('failed')
    expect(src.get(ip, '198.51.100.1')?.city).toBe('Rotterdam - a longer name')
  })

  it('answers null for a miss and for garbage, never throws', () => {
    const src = MmdbSource.fromBuffer<{ city: string }>(db('Utrecht'))
    expect(src.get(p('203.0.113.1'), '203.0.113.1')).toBeNull()
    // An IPv6 lookup goes by its text; the reader throws on this one, the source must not.
    const v6 = MmdbSource.fromBuffer<{ city: string }>(writeMmdb({ databaseType: 'dbip', ipVersion: 6, records: [['2001:db8::/32', { city: 'X' }]] }))
    expect(() => v6.get({ v: 6, w: [0x20010db8, 0, 0, 1] }, 'not-an-ip')).not.toThrow()
    expect(v6.get({ v: 6, w: [0x20010db8, 0, 0, 1] }, 'not-an-ip')).toBeNull()
  })
})
