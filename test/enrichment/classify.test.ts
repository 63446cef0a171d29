// Companies only, never private persons: the classification rules, one table each.
import { describe, expect, it } from 'vitest'
import { classify, type NetworkType } from '../../enrichment/classify.ts'
import { looksLikePerson } from '../../enrichment/rules.ts'
import type { MaxMindSignals } from '../../enrichment/sources/maxmind.ts'

const byOwner = (org: string, asn = 64512) => classify({ asn: { asn, org }, maxmind: null, ptr: null })

describe('owner names the curated AS lists do not know', () => {
  // Named: positive evidence that the owner uses the network itself.
  it.each<[string, NetworkType]>([
    ['Abbott Laboratories', 'business'],
    ['ING Bank N.V.', 'business'],
    ['Zuger Kantonalbank', 'business'],
    ['Spirit AeroSystems, Inc', 'business'],
    ['Ford Motor Company', 'business'],
    ['Universiteit van Amsterdam', 'education'],
    ['Technische Universität München', 'education'],
    ['Massachusetts Institute of Technology', 'education'],
    ['Universidad Nacional de Rosario', 'education'],
    ['Lynchburg City Schools', 'education'],
    ['Ministerie van Defensie', 'government'],
    ['Bundesministerium des Innern', 'government'],
    ['DoD Network Information Center', 'government'],
    ['Uskudar Belediyesi', 'government'],
  ])('%s → %s, named', (org, type) => {
    const c = byOwner(org)
    expect(c.network_type).toBe(type)
    expect(c.owner).toBe(org)
  })

  // Not providers, but nothing shows they use the network themselves: most such
  // owners are small ISPs and hosters, so they are kept as candidates, not named.
  // Whole-word rules keep them out of the provider types: Campbell is no camp,
  // Hostess Brands no host, Cloudera no cloud.
  it.each(['Campbell Soup Company', 'Hostess Brands, LLC', 'Cloudera, Inc.', 'Koninklijke Philips N.V.', 'TDC Holding A/S', 'NYI', 'xTom GmbH'])(
    '%s → unknown, a candidate only',
    (org) => {
      const c = byOwner(org)
      expect(c).toMatchObject({ network_type: 'unknown', owner: null, candidate: org })
    },
  )

  // Providers and private persons: never named, never a candidate.
  it.each<[string, NetworkType]>([
    ['Stadtwerke Musterstadt GmbH', 'isp'],
    ['Kabel Noord B.V.', 'isp'],
    ['Example Telecom S.A.', 'isp'],
    ['Fibre Valley Broadband Ltd', 'isp'],
    ['Rural Net Cooperative', 'isp'],
    ['WI-FI DOMINICANA', 'isp'],
    ['BIZNET NETWORKS', 'isp'],
    ['DSL customers Region West', 'isp'],
    ['Dynamic IP Pool', 'isp'],
    ['Residential subscribers', 'isp'],
    ['Fiber2home S.A', 'isp'],
    ['GIGA FIBERNET ltd.', 'isp'],
    ['MTN CONGO', 'isp'],
    ['Vodacom Congo', 'isp'],
    ['Example Mobile Telecommunications Ltd', 'mobile'],
    ['Nordic Wireless AB', 'mobile'],
    ['Acme Mobilfunk GmbH', 'mobile'],
    ['Hetznerish Online Hosting GmbH', 'hosting'],
    ['Example Cloud Services Ltd', 'hosting'],
    ['Frankfurt Datacenter B.V.', 'hosting'],
    ['Fast CDN Inc.', 'hosting'],
    ['Private VPN Provider Ltd', 'hosting'],
    ['CloudHosting SIA', 'hosting'],
    ['colo4jax, LLC', 'hosting'],
    ['hkcolo limited', 'hosting'],
    ['MEGA Privacy Kft.', 'hosting'],
    ['LLC Vpsville', 'hosting'],
    ['Jan de Vries', 'unknown'],
    ['John Smith', 'unknown'],
    ['Smith, John', 'unknown'],
    ['Private Person', 'unknown'],
    ['Maria van der Berg', 'unknown'],
    // Town utilities selling home fibre are ISPs, before any government word.
    ['CLARKSVILLE DEPARTMENT OF ELECTRICITY', 'isp'],
    ['Bowling Green Municipal Utilities', 'isp'],
    ['Example Electric Cooperative', 'isp'],
    // Networks of many schools are education, but not one of them.
    ['Kansas Research and Education Network', 'education'],
    ['European Schoolnet', 'education'],
  ])('%s → %s, never named', (org, type) => {
    const c = byOwner(org)
    expect(c.network_type).toBe(type)
    expect(c.owner).toBeNull()
    expect(c.candidate).toBeNull()
  })

  it('keeps the evidence: which source said what', () => {
    const c = byOwner('Acme Manufacturing B.V.', 64500)
    expect(c.evidence).toEqual([
      { source: 'ip-location-db/asn', says: 'AS64500 Acme Manufacturing B.V.' },
      { source: 'rules', says: '"Acme Manufacturing B.V.": words of an end-user trade' },
    ])
  })
})

describe('curated AS lists decide before the words', () => {
  it('names an organisation of the curated list by its common name', () => {
    const c = byOwner('Apple Inc.', 714)
    expect(c).toMatchObject({ network_type: 'business', owner: 'Apple', strong: true })
    expect(c.evidence).toContainEqual({ source: 'curated AS list', says: 'AS714 Apple: business network of its own' })
  })

  it.each<[number, string, NetworkType]>([
    [7922, 'Comcast Cable Communications, LLC', 'isp'],
    [16509, 'Amazon.com, Inc.', 'hosting'],
    [8075, 'Microsoft Corporation', 'hosting'],
    [15169, 'Google LLC', 'hosting'],
    [13335, 'Cloudflare, Inc.', 'hosting'],
    [21928, 'T-Mobile USA, Inc.', 'mobile'],
  ])('AS%i %s → %s', (asn, org, type) => {
    const c = byOwner(org, asn)
    expect(c.network_type).toBe(type)
    expect(c.owner).toBeNull()
    expect(c.strong).toBe(true)
  })
})

const mm = (s: Partial<MaxMindSignals>): MaxMindSignals => ({ sources: ['enterprise'], ...s })

describe('MaxMind Enterprise and connection types decide when present', () => {
  it.each<[string, NetworkType]>([
    ['business', 'business'],
    ['government', 'government'],
    ['military', 'government'],
    ['college', 'education'],
    ['school', 'education'],
    ['residential', 'isp'],
    ['cellular', 'mobile'],
    ['hosting', 'hosting'],
    ['content_delivery_network', 'hosting'],
    ['consumer_privacy_network', 'hosting'],
    ['search_engine_spider', 'hosting'],
    ['cafe', 'isp'],
    ['traveler', 'isp'],
  ])('user_type %s → %s, whatever the owner is called', (userType, type) => {
    // The AS owner reads like a company: Enterprise overrides it.
    const c = classify({ asn: { asn: 64500, org: 'Acme Manufacturing B.V.' }, maxmind: mm({ userType, organization: 'Acme Manufacturing B.V.' }), ptr: null })
    expect(c.network_type).toBe(type)
    expect(c.owner !== null).toBe(['business', 'education', 'government'].includes(type))
  })

  it('names the customer of a corporate line on an ISP network, not the ISP', () => {
    const c = classify({
      asn: { asn: 1136, org: 'KPN B.V.' },
      maxmind: mm({ connectionType: 'Corporate', isp: 'KPN', organization: 'Bakkerij Jansen B.V.' }),
      ptr: null,
    })
    expect(c).toMatchObject({ network_type: 'business', owner: 'Bakkerij Jansen B.V.' })
  })

  it.each([
    ['Cable/DSL', 'isp'],
    ['Cellular', 'mobile'],
    ['Satellite', 'isp'],
  ])('connection type %s → %s, even on a company-looking network', (conn, type) => {
    const c = classify({ asn: { asn: 64500, org: 'Acme Manufacturing B.V.' }, maxmind: mm({ connectionType: conn }), ptr: null })
    expect(c.network_type).toBe(type)
    expect(c.owner).toBeNull()
  })

  it('treats anonymous-IP flags (VPN, hosting, Tor) as hosting', () => {
    const c = classify({ asn: { asn: 64500, org: 'Acme Manufacturing B.V.' }, maxmind: mm({ anonymous: 'vpn' }), ptr: null })
    expect(c.network_type).toBe('hosting')
  })
})

describe('reverse DNS can take a company away, never make one', () => {
  it('a consumer-looking host name on a word-rule company network makes it an ISP line', () => {
    const c = classify({
      asn: { asn: 64500, org: 'Acme Manufacturing B.V.' },
      maxmind: null,
      ptr: { hostname: 'dsl-84-12-3-4.dynamic.example.net', domain: 'example.net', consumerLike: true },
    })
    expect(c.network_type).toBe('isp')
    expect(c.owner).toBeNull()
  })

  it('an office host name keeps the company', () => {
    const c = classify({
      asn: { asn: 64500, org: 'Acme Manufacturing B.V.' },
      maxmind: null,
      ptr: { hostname: 'gw1.acme.nl', domain: 'acme.nl', consumerLike: false },
    })
    expect(c).toMatchObject({ network_type: 'business', owner: 'Acme Manufacturing B.V.' })
  })
})

describe('looksLikePerson', () => {
  it.each([
    ['Jan de Vries', true],
    ['J. Jansen', true],
    ['Peter van den Berg', true],
    ['Private customer', true],
    ['Jan Linders B.V.', false],
    ['Thomas Cook Group', false],
    ['Philips', false],
    ['Ford Motor Company', false],
    ['Max Planck Gesellschaft', false],
  ])('%s → %s', (name, person) => {
    expect(looksLikePerson(name)).toBe(person)
  })
})
