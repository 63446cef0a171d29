// The operator's company directory: public company information (e.g. from a chamber
// of commerce), imported as CSV with a header row or as JSON lines, keyed by domain
// and/or name. Rows that cannot be used are reported with their line and the reason.
import { type CsvError, parse } from 'csv-parse/sync'
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

// A directory entry's fields, as the import and the review queue's naming
// (dashboard/candidates.ts) both check them.
export const text = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`).default('')

/** A company's domain, normalised ('' for none). */
export const domainName = text(253).transform((d, ctx) => {
  if (d === '') return ''
  const n = normaliseDomain(d)
  if (n?.includes('.')) return n
  ctx.addIssue({ code: 'custom', message: `"${d.slice(0, 80)}" is not a domain name` })
  return z.NEVER
})

/** A two-letter country code in upper case ('' for none). */
export const countryCode = z
  .string()
  .trim()
  .default('')
  .refine((c) => c === '' || /^[A-Za-z]{2}$/.test(c), 'must be a two-letter country code')
  .transform((c) => c.toUpperCase())

const Row = z
  .object({
    name: text(300),
    domain: domainName,
    address: text(300),
    postcode: text(20),
    city: text(100),
    country: countryCode,
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
  /** CSV only: the field delimiter found in the header line. */
  delimiter?: string
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

/**
 * A file's bytes as text: UTF-16 after its BOM (Excel's "Unicode text", tab-separated),
 * UTF-8 (a BOM dropped), else Windows-1252, which is what Excel's plain "CSV" saves on a
 * Western European Windows: "é" is the single byte 0xE9 there, invalid in UTF-8, and read
 * as UTF-8 every accented name would turn into "\uFFFD".
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    // Node 20's TextDecoder('windows-1252') decodes Latin-1: 0x80-0x9F (€, ’, “, –, Š …) come out as control characters.
    const text = Buffer.from(bytes)
      .toString('latin1')
      .replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_80_9F[c.charCodeAt(0) - 0x80]!))
    return { text, encoding: 'windows-1252' }
  }
}

// Windows-1252's characters at 0x80-0x9F (the WHATWG index; its 5 unassigned bytes keep their code).
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
  0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]

/**
 * The field delimiter of a CSV file from its header line: whichever of `;`, tab and `,`
 * occurs most outside quotes, `,` when none does (a one-column file). Excel writes `;`
 * where the decimal separator is a comma (Dutch, German, French settings). csv-parse's own
 * delimiter_auto (7.0.3) throws on the first non-ASCII character, a BOM included, and on
 * a quoted field holding another candidate, and picks "e" for a one-column file.
 */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>()
  let quoted = false
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === ';' || ch === '\t' || ch === ',')) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  }
  let best = ','
  for (const d of [';', '\t']) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d
  return best
}

/** Thrown out of csv-parse's hooks to stop a pass at a broken record spanning lines. */
class Resync {
  constructor(readonly line: number) {}
}

function csvReason(err: CsvError | undefined, delimiter: string): string {
  if (err?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') {
    const got = Array.isArray(err.record) ? err.record.length : '?'
    const want = Array.isArray(err.columns) ? err.columns.length : '?'
    return `has ${got} fields where the header has ${want} (a value that contains "${delimiter === '\t' ? 'tab' : delimiter}" needs double quotes around it)`
  }
  // csv-parse names the line itself; the report names it once, in its own field.
  return `not readable as CSV: ${(err?.message ?? 'malformed record').replace(/ (at|on) line \d+/, '')}`
}

/**
 * CSV with a header row into records with the line each starts on. A broken record is
 * skipped and reported, never the file: csv-parse skips what it cannot read (on_skip),
 * takes a stray quote inside a value as text (relax_quotes) and a short record as having
 * empty trailing fields (relax_column_count_less). A quote left open makes it read on
 * across lines up to the next quote character; such a record is reported on its first
 * line, and reading starts again at the line after it. The lines up to that next quote
 * are read twice, no line more often: each broken line holds the next quote of the one
 * before it.
 */
function readCsv(body: string, report: ImportReport): Array<{ line: number; raw: unknown }> {
  // One line ending for csv-parse: inside a quoted field it counts CRLF as two lines
  // (7.0.3), which shifts every line number after a multi-line address.
  let text = body.replace(/\r\n?/g, '\n')
  let base = 0
  // Excel writes and honours a first line "sep=;" naming the delimiter.
  const sep = /^sep=(.)\n/i.exec(text)
  if (sep) {
    text = text.slice(sep[0].length)
    base = 1
  }
  const delimiter = sep?.[1] ?? detectDelimiter(text.split('\n', 1)[0] ?? '')
  report.delimiter = delimiter
  const lines = text.split('\n')
  // Where each line starts in `text`, to start a pass at any line without copying the rest.
  const offsets = [0]
  for (const l of lines) offsets.push(offsets[offsets.length - 1]! + l.length + 1)
  let header: string[] | null = null
  const out: Array<{ line: number; raw: unknown }> = []
  for (let from = 0; from < lines.length; ) {
    // `last` is the last line (1-based, of the whole text) of what this pass has read.
    let last = from
    const startOf = () => {
      let l = last
      while (l < lines.length && lines[l] === '') l++
      return l + 1
    }
    // A record over several lines is a quoted value with line breaks (an address), or a
    // quote left open that a later quote closed: then it is short of fields, or one of its
    // later lines holds a record's worth of delimiters on its own.
    const swallowed = (record: object, start: number, end: number) => {
      const columns = header?.length ?? 0
      if (Object.keys(record).length < new Set(header).size) return true
      for (let i = start; i < end; i++) if (lines[i]!.split(delimiter).length >= columns) return true
      return false
    }
    try {
      parse(text.slice(offsets[from]), {
        columns:
          header ??
          ((h: string[]) => {
            header = h
            last = from + 1
            return h
          }),
        delimiter,
        record_delimiter: '\n',
        skip_empty_lines: true,
        relax_quotes: true,
        relax_column_count_less: true,
        skip_records_with_error: true,
        on_record: (record: Record<string, string>, info) => {
          const start = startOf()
          const end = from + info.lines
          if (end > start && swallowed(record, start, end)) throw new Resync(start)
          out.push({ line: base + start, raw: record })
          last = end
          return null
        },
        on_skip: (err) => {
          const start = startOf()
          const end = from + (typeof err?.lines === 'number' ? err.lines : 0)
          if (err?.code === 'CSV_QUOTE_NOT_CLOSED' || end > start) throw new Resync(start)
          report.rows++
          report.rejected.push({ line: base + start, reason: csvReason(err, delimiter) })
          last = Math.max(end, start)
          return undefined
        },
      })
      return out
    } catch (err) {
      if (!(err instanceof Resync)) {
        // csv-parse 7.0.3 hands every record's error to on_skip; should one still throw,
        // what was read and the reason are kept.
        report.rows++
        report.rejected.push({ line: base + startOf(), reason: csvReason(err as CsvError, delimiter) })
        return out
      }
      report.rows++
      if (header === null) {
        report.rejected.push({ line: base + err.line, reason: 'the header row opens a quote (") and never closes it: nothing could be read' })
        return out
      }
      report.rejected.push({ line: base + err.line, reason: 'a quote (") opens a value and is not closed on this line' })
      from = err.line
    }
  }
  return out
}

/** Parses CSV (header row) or JSON lines into entries; never throws on a bad row. */
export function parseDirectory(body: string, format: 'csv' | 'jsonl'): { entries: Array<{ line: number; entry: DirectoryEntry }>; report: ImportReport } {
  const report: ImportReport = { rows: 0, imported: 0, rejected: [] }
  const entries: Array<{ line: number; entry: DirectoryEntry }> = []
  let raws: Array<{ line: number; raw: unknown }>
  body = body.replace(/^\uFEFF/, '')
  if (format === 'csv') {
    raws = readCsv(body, report)
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
    entries.push({ line, entry: r.data })
  }
  // In file order: what cannot be read as CSV or JSON is found before the checks of each row.
  report.rejected.sort((a, b) => a.line - b.line)
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
