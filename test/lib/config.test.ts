// Configuration is read once; a bad value names its variable.
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../lib/config.ts'

describe('loadConfig', () => {
  it('gives a working demo setup when nothing is set', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      port: 8080,
      role: 'all',
      dataDir: './data',
      clickhouse: null,
      sites: [],
      admin: null,
      trustProxy: false,
      ipRetentionDays: 7,
      rawRetentionDays: 180,
      demo: true,
      publicUrl: 'http://localhost:8080',
    })
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('normalises SITES to bare lower-case domains', () => {
    expect(loadConfig({ SITES: ' https://WWW.Example.com/ , shop.example.org' }).sites).toEqual(['example.com', 'shop.example.org'])
  })

  it('switches to a ClickHouse server when CLICKHOUSE_URL is set', () => {
    const c = loadConfig({ CLICKHOUSE_URL: 'http://127.0.0.1:8123', CLICKHOUSE_USER: 'spoor', CLICKHOUSE_PASSWORD: 'pw', CLICKHOUSE_DATABASE: 'analytics' })
    expect(c.clickhouse).toEqual({ url: 'http://127.0.0.1:8123', user: 'spoor', password: 'pw', database: 'analytics', cluster: null })
  })

  it('names the replicated cluster the migrations go to with CLICKHOUSE_CLUSTER', () => {
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch1:8123', CLICKHOUSE_CLUSTER: 'spoor-cluster.1' }).clickhouse?.cluster).toBe('spoor-cluster.1')
  })

  it('refuses CLICKHOUSE_CLUSTER without CLICKHOUSE_URL: the embedded ClickHouse is no cluster', () => {
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'spoor' })).toThrow(ConfigError)
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'spoor' })).toThrow(/CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL/)
  })

  it('refuses a CLICKHOUSE_CLUSTER that is no cluster name', () => {
    expect(() => loadConfig({ CLICKHOUSE_URL: 'http://ch1:8123', CLICKHOUSE_CLUSTER: 'a`; DROP' })).toThrow(/CLICKHOUSE_CLUSTER: expected a cluster name/)
  })

  it.each([
    ['TRUST_PROXY', 'true', true],
    ['TRUST_PROXY', '2', 2],
    ['TRUST_PROXY', 'loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ['TRUST_PROXY', '', false],
  ])('reads %s=%j', (key, value, expected) => {
    expect(loadConfig({ [key]: value }).trustProxy).toEqual(expected)
  })

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number/],
    ['PORT', '70000', /PORT: must be between 1 and 65535/],
    ['IP_RETENTION_DAYS', '8', /IP_RETENTION_DAYS: must be between 1 and 7/],
    ['RAW_RETENTION_DAYS', '-1', /RAW_RETENTION_DAYS: expected a whole number/],
    ['ROLE', 'worker', /ROLE:/],
    ['SITES', 'example.com,not a domain', /SITES: "not a domain" is not a domain name/],
    ['CLICKHOUSE_URL', 'localhost', /CLICKHOUSE_URL: expected a URL/],
    ['CLICKHOUSE_DATABASE', 'spoor; DROP TABLE x', /CLICKHOUSE_DATABASE: expected a plain identifier/],
    ['TRUST_PROXY', 'sometimes', /TRUST_PROXY: "sometimes" is not/],
    ['DEMO', 'maybe', /DEMO: expected true or false/],
    ['ADMIN_EMAIL', 'not-an-email', /ADMIN_EMAIL: expected an e-mail address/],
  ])('refuses %s=%j with a message naming it', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [key]: value })).toThrow(message)
  })

  it('geolocates by country unless DBIP says city or off; the older DBIP_CITY still counts when DBIP is not set', () => {
    expect(loadConfig({}).dbip).toBe('country')
    expect(loadConfig({ DBIP: 'city' }).dbip).toBe('city')
    expect(loadConfig({ DBIP: 'off' }).dbip).toBe('off')
    expect(loadConfig({ DBIP_CITY: 'true' }).dbip).toBe('city')
    expect(loadConfig({ DBIP_CITY: 'false' }).dbip).toBe('off')
    expect(loadConfig({ DBIP: 'country', DBIP_CITY: 'true' }).dbip).toBe('country')
    expect(() => loadConfig({ DBIP: 'street' })).toThrow(/DBIP: expected country, city or off/)
  })

  it('refuses a split ROLE on the embedded ClickHouse, which serves one process', () => {
    expect(() => loadConfig({ ROLE: 'collector' })).toThrow(/ROLE: "collector" needs CLICKHOUSE_URL/)
    expect(loadConfig({ ROLE: 'collector', CLICKHOUSE_URL: 'http://127.0.0.1:8123' }).role).toBe('collector')
  })

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.com' })).toThrow(/set both or neither/)
  })

  it('refuses an admin password shorter than 8 characters', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD: must be at least 8/)
  })
})
