// The operator's company directory: public company information (e.g. from a chamber
// of commerce), imported as CSV with a header row or as JSON lines, keyed by domain
// and/or name. Rows that cannot be used are reported with their line and the reason.
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { describeIssue } from '../lib/validate.ts'
import type { Db } from '../lib/db.ts'
import { normaliseDomain } from '../lib/domain.ts'
import { type DirectoryEntry, nameKey } from './company.ts'

const FIELDS = ['name', 'domain', 'address', 'postcode', 'city', 'country', 'industry', 'employee_range', 'phone', 'website', 'registration_number'] as const

// Column names seen in registry exports, mapped onto ours.
const ALIASES: Record<string, (typeof FIELDS)[number]> = {
  company: 'name',
  company_name: 'name',
  naam: 'name',
  handelsnaam: 'name',
  zip: 'postcode',
  postal_code: 'postcode',
  zipcode: 'postcode',
  employees: 'employee_range',
  size: 'employee_range',
  kvk: 'registration_number',
  kvk_number: 'registration_number',
  coc: 'registration_number',
  chamber_of_commerce: 'registration_number',
  url: 'website',
  telephone: 'phone',
  street: 'address',
  sector: 'industry',
}

const text = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`).default('')

const Row = z
  .object({
    name: text(300),
    domain: text(253),
    address: text(300),
    postcode: text(20),
    city: text(100),
    country: z
      .string()
      .trim()
      .default('')
      .refine((c) => c === '' || /^[A-Za-z]{2}$/.test(c), 'must be a two-letter country code')
      .transform((c) => c.toUpperCase()),
    industry: text(200),
    employee_range: text(50),
    phone: text(50),
    website: text(300),
    registration_number: text(50),
  })
  .refine((r) => r.name !== '' || r.domain !== '', 'needs a name or a domain')

export interface ImportReport {
  rows: number
  imported: number
  rejected: Array<{ line: number; reason: string }>
}

function canonicalKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(raw)) {
    const key = k
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_')
    const field = (FIELDS as readonly string[]).includes(key) ? key : ALIASES[key]
    if (!field || v === null || v === undefined) continue
    // Numbers (a postcode, a registration number) become text; objects and lists are refused by the schema.
    out[field] = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v
  }
  return out
}

/** Parses CSV (header row) or JSON lines into entries; never throws on a bad row. */
function parseDirectory(body: string, format: 'csv' | 'jsonl'): { entries: Array<{ line: number; entry: DirectoryEntry }>; report: ImportReport } {
  const report: ImportReport = { rows: 0, imported: 0, rejected: [] }
  const entries: Array<{ line: number; entry: DirectoryEntry }> = []
  let raws: Array<{ line: number; raw: unknown }>
  if (format === 'csv') {
    try {
      // A malformed record (an unclosed quote) is reported and skipped, not the whole file.
      const records = parse(body, {
        columns: true,
        skip_empty_lines: true,
        bom: true,
        relax_column_count: true,
        info: true,
        skip_records_with_error: true,
        on_skip: (err) => {
          report.rows++
          report.rejected.push({
            line: (err as { lines?: number } | undefined)?.lines ?? 0,
            reason: `not readable as CSV: ${err?.message ?? 'malformed record'}`,
          })
          return undefined
        },
      }) as Array<{ record: Record<string, string>; info: { lines: number } }>
      raws = records.map((r) => ({ line: r.info.lines, raw: r.record }))
    } catch (err) {
      report.rejected.push({ line: (err as { lines?: number }).lines ?? 0, reason: `not readable as CSV: ${(err as Error).message}` })
      return { entries, report }
    }
  } else {
    raws = []
    body.split('\n').forEach((l, i) => {
      if (l.trim() === '') return
      try {
        raws.push({ line: i + 1, raw: JSON.parse(l) })
      } catch {
        report.rejected.push({ line: i + 1, reason: 'not valid JSON' })
        report.rows++
      }
    })
  }
  for (const { line, raw } of raws) {
    report.rows++
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      report.rejected.push({ line, reason: 'not an object' })
      continue
    }
    const r = Row.safeParse(canonicalKeys(raw as Record<string, unknown>))
    if (!r.success) {
      report.rejected.push({ line, reason: describeIssue(r.error, 'row').message })
      continue
    }
    let domain = ''
    if (r.data.domain) {
      const d = normaliseDomain(r.data.domain)
      if (!d?.includes('.')) {
        report.rejected.push({ line, reason: `domain "${r.data.domain.slice(0, 80)}" is not a domain name` })
        continue
      }
      domain = d
    }
    entries.push({ line, entry: { ...r.data, domain } })
  }
  return { entries, report }
}

/** Imports into company_directory in batches, calling onProgress after each batch. */
export async function importDirectory(
  db: Db,
  body: string,
  format: 'csv' | 'jsonl',
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ImportReport> {
  const { entries, report } = parseDirectory(body, format)
  const BATCH = 10_000
  for (let i = 0; i < entries.length; i += BATCH) {
    const rows = entries.slice(i, i + BATCH).map(({ entry }) => ({ key: entry.domain ? `d:${entry.domain}` : `n:${nameKey(entry.name)}`, ...entry }))
    await db.insert('company_directory', rows)
    report.imported += rows.length
    onProgress(report.imported, entries.length)
  }
  return report
}
