// Geolocation of a visitor's IP for the collector (country, and city with DBIP=city or
// MaxMind City). IpIntel (enrichment/lookup.ts) implements it over DB-IP Lite or MaxMind.
import type { Place } from './sources/dbip.ts'

export type { Place }

export interface GeoReader {
  /** A miss is null, never an exception. */
  lookup(ip: string): Place | null
}
