// One bench part in a process of its own (chDB allows one data directory per process,
// and each part's memory is then its own). Usage: part.ts <name> <options as JSON> <result file>.
import { writeFileSync } from 'node:fs'

const [name, json, out] = process.argv.slice(2)
const parts: Record<string, () => Promise<{ run(o: never): Promise<unknown> }>> = {
  ingest: () => import('./parts/ingest.ts'),
  storage: () => import('./parts/storage.ts'),
  enrichment: () => import('./parts/enrichment.ts'),
  queries: () => import('./parts/queries.ts'),
  beacon: () => import('./parts/beacon.ts'),
  sizing: () => import('./parts/sizing.ts'),
}
const load = parts[name ?? '']
if (!load || !out) {
  console.error(`unknown part ${name}`)
  process.exit(2)
}
const result = await (await load()).run(JSON.parse(json ?? '{}') as never)
writeFileSync(out, JSON.stringify(result, null, 2))
process.exit(0)
