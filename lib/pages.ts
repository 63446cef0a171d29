// Page path patterns as admins write them ("/pricing*", "*/contact"): * matches any
// characters, everything else itself, and a pattern matches whole paths.

/** The patterns as one RegExp (also valid RE2 for ClickHouse's match()); null for an empty list (every page counts). */
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
