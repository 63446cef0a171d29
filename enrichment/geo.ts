// Geolocation of a visitor's IP (country, city). The DB-IP / MaxMind readers arrive
// with company recognition; until then the collector runs with `noGeo` and the
// country and city columns stay empty.
export interface Place {
  country: string
  city: string
}

export interface GeoReader {
  /** A miss is null, never an exception. */
  lookup(ip: string): Place | null
}

export const noGeo: GeoReader = { lookup: () => null }
