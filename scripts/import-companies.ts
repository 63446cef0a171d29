// npm run import-companies -- <file.csv|file.jsonl> [--all-skipped]: loads public company
// information into the company directory, printing progress, then how many rows were
// imported and skipped, with the line and reason of the first skipped ones (all of them
// with --all-skipped). Needs the database: run it while Spoor is stopped (embedded) or
// with CLICKHOUSE_URL; a running Spoor imports the same way at POST /api/companies/directory.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { decodeText, importDirectory } from '../enrichment/directory.ts'
import { ConfigError, loadConfig } from '../lib/config.ts'
import { openDb } from '../lib/db.ts'
import { createLogger } from '../lib/logger.ts'
import { migrate } from '../sql/migrate.ts'

// Enough to show what is wrong with a file (a wrong column, a wrong delimiter) without
// burying the summary: the same mistake usually repeats on every row.
const SHOWN = 10
const SEPARATED: Record<string, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' }

const args = process.argv.slice(2).filter((a) => a !== '--')
const file = args.find((a) => !a.startsWith('--'))
if (!file) {
  process.stderr.write('usage: npm run import-companies -- <file.csv|file.jsonl> [--all-skipped]\n')
  process.exit(2)
}

function fail(message: string): never {
  process.stderr.write(`import-companies: ${message}\n`)
  process.exit(1)
}

// Read first: a wrong path is found before the database is opened (and held).
let bytes: Buffer
try {
  bytes = readFileSync(file)
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code ?? 'error'
  const why: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' }
  fail(`cannot read ${resolve(file)}: ${why[code] ?? (err as Error).message} (${code})`)
}
const { text, encoding } = decodeText(bytes)
const format = /\.jsonl?$|\.ndjson$/i.test(file) ? 'jsonl' : 'csv'

try {
  const config = loadConfig()
  const db = await openDb(config, {
    inUseFix:
      'stop Spoor and run the import again, or import through the running Spoor as an admin: POST /api/companies/directory with the file (docs/company-recognition.md)',
  })
  try {
    await migrate(db, createLogger('warn'))
    const report = await importDirectory(db, text, format, (done, total) => process.stderr.write(`imported ${done} of ${total}\n`))
    const read = [
      format === 'jsonl' ? 'JSON lines' : `CSV separated by ${SEPARATED[report.delimiter ?? ','] ?? `"${report.delimiter}"`}`,
      encoding === 'windows-1252' ? 'not UTF-8, read as Windows-1252' : encoding === 'utf-8' ? '' : 'UTF-16',
    ].filter(Boolean)
    const skipped = report.rejected.length
    process.stdout.write(`${report.imported} imported, ${skipped} skipped, of ${report.rows} rows (${read.join('; ')})\n`)
    const shown = args.includes('--all-skipped') ? report.rejected : report.rejected.slice(0, SHOWN)
    for (const r of shown) process.stdout.write(`  line ${r.line}: ${r.reason}\n`)
    if (shown.length < skipped) process.stdout.write(`  … and ${skipped - shown.length} more (--all-skipped lists every one)\n`)
  } finally {
    await db.close()
  }
} catch (err) {
  if (err instanceof ConfigError) fail(err.message)
  throw err
}
