// Page patterns (lib/pages.ts): * matches any characters, a pattern matches whole paths,
// and matching costs no more than pattern × path steps, whatever a visitor's path is.
import { describe, expect, it } from 'vitest'
import { globMatch, pagePattern } from '../../lib/pages.ts'

describe('page patterns', () => {
  it.each([
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
  ])('%s against %s is %s', (pattern, path, match) => {
    expect(globMatch(pattern, path)).toBe(match)
    // The RE2 form for ClickHouse says the same (JavaScript's engine agrees on these).
    expect(new RegExp(pagePattern([pattern])!.source).test(path)).toBe(match)
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
