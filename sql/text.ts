// SQL text as the migration checks read it: without comments, and with string literals
// told apart from the rest, so that a keyword in a comment or a string is not taken for
// one in the statement.

/** `sql` without `--` and `/* *\/` comments (each replaced by a space); string literals and quoted names are kept as they are. */
export function stripComments(sql: string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (c === "'" || c === '"' || c === '`') {
      const end = quoteEnd(sql, i)
      out += sql.slice(i, end)
      i = end
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i)
      i = nl === -1 ? sql.length : nl
      out += ' '
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end === -1 ? sql.length : end + 2
      out += ' '
    } else {
      out += c
      i++
    }
  }
  return out
}

/** `sql` (without comments) with the inside of every string literal blanked to spaces, offsets unchanged: what keywords are searched in. */
export function maskStrings(sql: string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (c === "'") {
      const end = quoteEnd(sql, i)
      out += `'${' '.repeat(Math.max(0, end - i - 2))}${end - i >= 2 ? "'" : ''}`
      i = end
    } else {
      out += c
      i++
    }
  }
  return out
}

/** Where the literal or quoted name opening at `start` ends (one past its closing quote); a backslash or a doubled quote escapes. */
export function quoteEnd(sql: string, start: number): number {
  const q = sql[start]
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2
    else if (sql[i] === q && sql[i + 1] === q) i += 2
    else if (sql[i] === q) return i + 1
    else i++
  }
  return sql.length
}
