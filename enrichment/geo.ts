// Geolocation of a visitor's IP for the collector (country, city). IpIntel
// (enrichment/lookup.ts) implements it over DB-IP City Lite or MaxMind City.
import type { Place } from './sources/dbip.ts'

export type { Place }

export interface GeoReader {
  /** A miss is null, never an exception. */
  lookup(ip: string): Place | null
}
