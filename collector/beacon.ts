// Builds the beacon from collector/beacon/spoor.ts at start (esbuild, about 20 ms),
// so the served script always matches the source and no build step is needed. The
// consent adapters (collector/beacon/consent-*.ts) and the automatic events
// (collector/beacon/extensions.ts) are built beside it: they are loaded only by sites
// whose script tag asks for them, with data-consent and with data-outbound,
// data-downloads or data-404.
import { gzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { build } from 'esbuild'

export const BEACON_SOURCE = new URL('./beacon/spoor.ts', import.meta.url).pathname
/** Gzipped size budget of /script.js (Plausible's is about 0.8 KB, Umami's about 2.2 KB). */
export const BEACON_BUDGET_BYTES = 1536
/** The values of data-consent that load a second script: /consent/NAME.js. */
export const CONSENT_ADAPTERS = ['tcf', 'gcm'] as const
export type ConsentAdapter = (typeof CONSENT_ADAPTERS)[number]
/** Gzipped size budget of each adapter: together with the beacon under 2 KB. */
export const ADAPTER_BUDGET_BYTES = 512
/** Where the automatic events (outbound links, file downloads, 404) are served. */
export const EXTENSIONS_PATH = '/script.ext.js'
/** Gzipped size budget of /script.ext.js, as of an adapter. */
export const EXTENSIONS_BUDGET_BYTES = 512

export interface Script {
  js: string
  gzip: Buffer
  etag: string
}

export interface Beacon extends Script {
  adapters: ReadonlyMap<string, Script>
  extensions: Script
}

async function buildScript(path: string): Promise<Script> {
  const out = await build({
    entryPoints: [path],
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

export async function buildBeacon(): Promise<Beacon> {
  const [beacon, extensions, ...adapters] = await Promise.all([
    buildScript(BEACON_SOURCE),
    buildScript(new URL('./beacon/extensions.ts', import.meta.url).pathname),
    ...CONSENT_ADAPTERS.map((name) => buildScript(new URL(`./beacon/consent-${name}.ts`, import.meta.url).pathname)),
  ])
  return { ...beacon!, extensions: extensions!, adapters: new Map(CONSENT_ADAPTERS.map((name, i) => [name, adapters[i]!])) }
}
