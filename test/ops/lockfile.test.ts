// `npm ci` refuses a lock that lacks any optional dependency of a locked package,
// even one for another platform (chDB's macOS and arm64 builds), so a clean clone
// would not install. npm install on one platform can leave them out when the
// registry it reads does not serve them.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

type Entry = { version?: string; optionalDependencies?: Record<string, string> }
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, Entry> }

describe('package-lock.json', () => {
  it('records every optional dependency of a locked package, so npm ci accepts it on a clean clone', () => {
    const missing: string[] = []
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        const nested = `${path}/node_modules/${name}`
        if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) missing.push(`${name} (for ${path || 'the project'})`)
      }
    }
    expect(missing).toEqual([])
  })
})
