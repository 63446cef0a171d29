// npm run import-companies -- <file.csv|file.jsonl>: loads public company information
// into the company directory, printing progress and every rejected row with its reason.
// Needs the database: run it while Spoor is stopped (embedded) or with CLICKHOUSE_URL.
import { readFileSync } from 'node:fs'
import { importDirectory } from '../enrichment/directory.ts'
import { loadConfig } from '../lib/config.ts'
import { openDb } from '../lib/db.ts'
import { createLogger } from '../lib/logger.ts'
import { migrate } from '../sql/migrate.ts'

const file = process.argv.slice(2).find((a) => a !== '--')
if (!file) {
  process.stderr.write('usage: npm run import-companies -- <file.csv|file.jsonl>\n')
  process.exit(2)
}
const config = loadConfig()
const db = await openDb(config)
await migrate(db, createLogger('warn'))
const body = readFileSync(file, 'utf8')
const format = /\.jsonl?$|\.ndjson$/i.test(file) ? 'jsonl' : 'csv'
const report = await importDirectory(db, body, format, (done, total) => process.stderr.write(`imported ${done} of ${total}\n`))
for (const r of report.rejected) process.stdout.write(`line ${r.line}: ${r.reason}\n`)
process.stderr.write(`${report.imported} imported, ${report.rejected.length} rejected, of ${report.rows} rows\n`)
await db.close()
