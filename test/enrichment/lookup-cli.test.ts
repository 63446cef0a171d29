// `npm run lookup` on the packaged registry data: one JSON object per line.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('npm run lookup', () => {
  it('prints one JSON line per address: network type, company, AS, location, evidence', () => {
    // 17.0.0.0/8 is Apple's own; 73.0.0.0/8 is Comcast's consumer cable network.
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lookup.ts', '17.253.144.10', '73.10.20.30', 'nonsense'], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: '/nonexistent/spoor-lookup-test', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    })
    expect(out.status).toBe(0)
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatchObject({ ip: '17.253.144.10', network_type: 'business', asn: 714, company: { name: expect.stringMatching(/^Apple/) } })
    expect(Object.keys(lines[0]!)).toEqual(['ip', 'network', 'network_type', 'company', 'candidate', 'asn', 'as_org', 'country', 'city', 'evidence'])
    expect(lines[1]).toMatchObject({ ip: '73.10.20.30', network_type: 'isp', company: null, asn: 7922 })
    expect(lines[2]).toMatchObject({ ip: 'nonsense', network_type: 'unknown', company: null })
  }, 90_000)

  it('explains its use when no address is given', () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lookup.ts'], { encoding: 'utf8' })
    expect(out.status).toBe(2)
    expect(out.stderr).toMatch(/usage: npm run lookup -- <ip>/)
  })
})
