// Carries out the erasures recorded on a ClickHouse server, in a process of its own (the
// jobs process's part): its locks are not the test process's, as on another machine.
// Env: CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE.
// Prints {"erased":n}.
import { openDb } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { resumeErasures } from '../../privacy/erasure.ts'

const env = process.env
const db = await openDb({
  clickhouse: { url: env.CLICKHOUSE_URL!, user: env.CLICKHOUSE_USER!, password: env.CLICKHOUSE_PASSWORD!, database: env.CLICKHOUSE_DATABASE! },
  dataDir: '',
})
const erased = await resumeErasures(db, createLogger('silent'), { rawRetentionDays: 180 }, 0)
await db.close()
console.log(JSON.stringify({ erased }))
