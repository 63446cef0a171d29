// Builds the beacon from collector/beacon/spoor.ts at start (esbuild, about 20 ms),
// so the served script always matches the source and no build step is needed.
import { gzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { build } from 'esbuild'

export const BEACON_SOURCE = new URL('./beacon/spoor.ts', import.meta.url).pathname
/** Gzipped size budget of /script.js (Plausible's is about 0.8 KB, Umami's about 2.2 KB). */
export const BEACON_BUDGET_BYTES = 1536

export interface Beacon {
  js: string
  gzip: Buffer
  etag: string
}

export async function buildBeacon(): Promise<Beacon> {
  const out = await build({
    entryPoints: [BEACON_SOURCE],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2017',
    write: false,
    legalComments: 'none',
  })
  const js = out.outputFiles[0]!.text
  return { js, gzip: gzipSync(js, { level: 9 }), etag: `"${createHash('sha256').update(js).digest('base64url').slice(0, 16)}"` }
}
