// Page path patterns as admins write them ("/pricing*", "*/contact"): * matches any
// characters, everything else itself, and a pattern matches whole paths.

export interface PagePattern {
  /** Whether a path matches one of the patterns: a wildcard match without a regular expression (see globMatch). */
  test(path: string): boolean
}

/** A pattern as ClickHouse's LIKE takes it: %, _ and \ literal, * any characters. */
export function likePattern(match: string): string {
  return match.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%')
}

/**
 * Whether `text` matches `pattern` (`*` any characters). Greedy with a single backtrack
 * point, so at most length(pattern) × length(text) steps: a regular expression of several
 * `.*` backtracks polynomially on paths a visitor chooses (2,048 characters).
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0
  let t = 0
  let star = -1
  let mark = 0
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++
      t++
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++
      mark = t
    } else if (star >= 0) {
      p = star + 1
      t = ++mark
    } else return false
  }
  while (p < pattern.length && pattern[p] === '*') p++
  return p === pattern.length
}

/** The patterns as one matcher; null for an empty list (every page counts). */
export function pagePattern(patterns: readonly string[]): PagePattern | null {
  if (patterns.length === 0) return null
  return { test: (path) => patterns.some((p) => globMatch(p, path)) }
}
