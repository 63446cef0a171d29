// Page patterns (lib/pages.ts): * matches any characters, a pattern matches whole paths,
// and matching costs no more than pattern × path steps, whatever a visitor's path is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { globMatch, likePattern } from '../../lib/pages.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})

const CASES: Array<[string, string, boolean]> = [
  ['/pricing', '/pricing', true],
  ['/pricing', '/pricing/', false],
  ['/pricing*', '/pricing/business', true],
  ['/pricing*', '/about/pricing', false],
  ['*/contact', '/nl/contact', true],
  ['/blog/*/comments', '/blog/a/b/comments', true],
  ['/a.b', '/aXb', false],
  ['/*', '/', true],
  ['*', '', true],
  ['/x*y*z', '/xzy', false],
]

describe('page patterns', () => {
  it.each(CASES)('%s against %s is %s', (pattern, path, match) => {
    expect(globMatch(pattern, path)).toBe(match)
  })

  it.each(CASES)("ClickHouse's LIKE form of %s against %s says the same: %s", async (pattern, path, match) => {
    const [r] = await t.db.query<{ m: number }>('SELECT {path:String} LIKE {like:String} AS m', { path, like: likePattern(pattern) })
    expect(Number(r?.m)).toBe(match ? 1 : 0)
  })

  it('matches a hostile path in linear time: many stars against 2,048 characters that almost match', () => {
    const pattern = '/*a*a*a*a*a*a*a*a*b'
    const path = `/${'a'.repeat(2047)}`
    // A backtracking regular expression of the same pattern takes minutes on this.
    let steps = 0
    const started = process.hrtime.bigint()
    for (; steps < 10; steps++) expect(globMatch(pattern, path)).toBe(false)
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / steps
    expect(ms).toBeLessThan(1000)
  })
})
