// The pages of a site that count for company recognition (site_settings.company_pages),
// shared by the enrichment job and the naming of review-queue candidates.

/** "/pricing*" style patterns → one RegExp (also valid RE2 for ClickHouse's match()); empty list = every page counts. */
export function pagePattern(patterns: readonly string[]): RegExp | null {
  if (patterns.length === 0) return null
  const alts = patterns.map((p) =>
    p
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  )
  return new RegExp(`^(?:${alts.join('|')})$`)
}
