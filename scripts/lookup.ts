// npm run lookup -- <ip> [<ip> ...]: one JSON object per line, from the same
// function the enrichment job uses. The operator's directory, learned domains and
// suppressions are used when the database can be opened (with CLICKHOUSE_URL, or the
// embedded one while Spoor is not running: chDB allows one process per directory).
import { Knowledge } from '../enrichment/company.ts'
import { MIN_CONFIDENCE } from '../enrichment/jobs/learn-domains.ts'
import { IpIntel } from '../enrichment/lookup.ts'
import { ConfigError, loadConfig } from '../lib/config.ts'
import { openDb } from '../lib/db.ts'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const ips = process.argv.slice(2).filter((a) => a !== '--')
if (ips.length === 0) {
  process.stderr.write('usage: npm run lookup -- <ip> [<ip> ...]\n')
  process.exit(2)
}

try {
  const config = loadConfig()
  const knowledge = Knowledge.empty()
  if (config.clickhouse || existsSync(join(config.dataDir, 'status'))) {
    try {
      const db = await openDb(config, { inUseFix: 'stop it to include them' })
      await knowledge.refresh(db, MIN_CONFIDENCE)
      await db.close()
    } catch (err) {
      process.stderr.write(`note: company directory, learned domains and suppressions not used (${(err as Error).message.split('\n')[0]})\n`)
    }
  }
  const intel = await IpIntel.open(config, knowledge)
  for (const ip of ips) process.stdout.write(`${JSON.stringify(await intel.lookupIp(ip))}\n`)
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`)
  process.exit(1)
}
