// Part 5: the gzipped size of /script.js as the real server sends it, next to the
// page-view scripts of Plausible (769 B) and Umami (2,223 B), measured gzipped from
// their published scripts and written in the README; and of each consent adapter
// (/consent/NAME.js), the second script that data-consent loads, alone and with the beacon;
// and of /script.ext.js, the automatic events that data-outbound, data-downloads and data-404 load.
import { request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { START_SCRIPT, startChild } from '../proc.ts'
import type { PartResult } from '../report.ts'
import { ADAPTER_BUDGET_BYTES, BEACON_BUDGET_BYTES, CONSENT_ADAPTERS, EXTENSIONS_BUDGET_BYTES, EXTENSIONS_PATH } from '../../collector/beacon.ts'

const REFERENCE = { plausible: 769, umami: 2223 } as const

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
  const server = await startChild(START_SCRIPT, {
    DATA_DIR: dir,
    SITES: 'example.com',
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench password long enough',
    LOG_LEVEL: 'warn',
  })
  try {
    const gzipped = async (path: string) => {
      const { bytes, encoding } = await gzippedBytes(`${server.url}${path}`)
      if (encoding !== 'gzip') throw new Error(`${path} was sent with content-encoding "${encoding}", not gzip`)
      return bytes
    }
    const bytes = await gzipped('/script.js')
    const adapters: Record<string, number> = {}
    for (const name of CONSENT_ADAPTERS) adapters[name] = await gzipped(`/consent/${name}.js`)
    const extensions = await gzipped(EXTENSIONS_PATH)
    return {
      part: 'beacon',
      details: {
        bytes,
        adapters,
        extensions,
        reference: REFERENCE,
        budget: BEACON_BUDGET_BYTES,
        adapterBudget: ADAPTER_BUDGET_BYTES,
        extensionsBudget: EXTENSIONS_BUDGET_BYTES,
      },
      rows: [
        {
          part: 'beacon',
          metric: '/script.js gzipped',
          value: bytes,
          unit: 'B',
          baseline: { label: 'Plausible', value: REFERENCE.plausible },
          ratio: bytes / REFERENCE.plausible,
          target: `≤ ${BEACON_BUDGET_BYTES.toLocaleString('en')} B`,
          ok: bytes <= BEACON_BUDGET_BYTES,
        },
        {
          part: 'beacon',
          metric: '/script.js gzipped',
          value: bytes,
          unit: 'B',
          baseline: { label: 'Umami', value: REFERENCE.umami },
          ratio: bytes / REFERENCE.umami,
        },
        ...Object.entries(adapters).map(([name, b]) => ({
          part: 'beacon',
          metric: `/consent/${name}.js gzipped (with the beacon: ${(bytes + b).toLocaleString('en')} B)`,
          value: b,
          unit: 'B',
          baseline: { label: 'Umami', value: REFERENCE.umami },
          ratio: (bytes + b) / REFERENCE.umami,
          target: `≤ ${ADAPTER_BUDGET_BYTES} B`,
          ok: b <= ADAPTER_BUDGET_BYTES,
        })),
        {
          part: 'beacon',
          metric: `${EXTENSIONS_PATH} gzipped (with the beacon: ${(bytes + extensions).toLocaleString('en')} B)`,
          value: extensions,
          unit: 'B',
          baseline: { label: 'Umami', value: REFERENCE.umami },
          ratio: (bytes + extensions) / REFERENCE.umami,
          target: `≤ ${EXTENSIONS_BUDGET_BYTES} B`,
          ok: extensions <= EXTENSIONS_BUDGET_BYTES,
        },
      ],
    }
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
