// Part 5: the gzipped size of /script.js as the real server sends it, next to the
// page-view scripts of Plausible (769 B) and Umami (2,223 B), measured gzipped from
// their published scripts and written in the README.
import { request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../proc.ts'
import type { PartResult } from '../report.ts'

const REFERENCE = { plausible: 769, umami: 2223 } as const
const BUDGET = 1536

function gzippedBytes(url: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0
      res.on('data', (c: Buffer) => (bytes += c.length))
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? '') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

export async function run(): Promise<PartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-bench-beacon-'))
  const server = await startChild('lib/server.ts', { DATA_DIR: dir, SITES: 'example.com', ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench password long enough', LOG_LEVEL: 'warn' })
  try {
    const { bytes, encoding } = await gzippedBytes(`${server.url}/script.js`)
    if (encoding !== 'gzip') throw new Error(`/script.js was sent with content-encoding "${encoding}", not gzip`)
    return {
      part: 'beacon',
      details: { bytes, reference: REFERENCE, budget: BUDGET },
      rows: [
        { part: 'beacon', metric: '/script.js gzipped', value: bytes, unit: 'B', baseline: { label: 'Plausible', value: REFERENCE.plausible }, ratio: bytes / REFERENCE.plausible, target: '≤ 1,536 B', ok: bytes <= BUDGET },
        { part: 'beacon', metric: '/script.js gzipped', value: bytes, unit: 'B', baseline: { label: 'Umami', value: REFERENCE.umami }, ratio: bytes / REFERENCE.umami },
      ],
    }
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
