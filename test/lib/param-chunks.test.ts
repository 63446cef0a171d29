// Lists bound as parameters travel in the URL, and a ClickHouse server refuses a field over
// 128 KiB (issue 18, defect 1): paramChunks cuts them into pieces that stay under a budget,
// measured here with the client's own formatting of the parameter and the URL's encoding.
import { formatQueryParams } from '@clickhouse/client-common'
import { describe, expect, it } from 'vitest'
import { PARAM_BYTES, paramChunks } from '../../lib/db.ts'

// What @clickhouse/client 1.23.1 puts in the URL for {keys:Array(String)}.
const sent = (values: string[]) => new URLSearchParams({ param_keys: formatQueryParams({ value: values }) }).toString().length - 'param_keys='.length

describe('paramChunks', () => {
  it.each([
    ['site/sid keys', (i: number) => `www.example.com/${i.toString(16).padStart(32, '0')}`],
    ['quotes, backslashes and punctuation', (i: number) => `it's ${i} \\ (a!b) ~c* "d"`],
    ['tabs, newlines and non-ASCII', (i: number) => `a\tb\nc\r ${i} é ü 東京`],
  ])('keeps every piece of %s under the budget as sent, and every value once, in order', (_name, make) => {
    const values = Array.from({ length: 12_000 }, (_, i) => make(i))
    const pieces = paramChunks(values)
    expect(sent(values)).toBeGreaterThan(128 * 1024)
    expect(pieces.length).toBeGreaterThan(1)
    for (const p of pieces) expect(sent(p)).toBeLessThanOrEqual(PARAM_BYTES)
    // Not far under it either: the estimate is the real length, not a guess on the safe side.
    expect(sent(pieces[0]!)).toBeGreaterThan(PARAM_BYTES * 0.95)
    expect(pieces.flat()).toEqual(values)
  })

  it('gives a short list back whole, and nothing for nothing', () => {
    expect(paramChunks(['a', 'b'])).toEqual([['a', 'b']])
    expect(paramChunks([])).toEqual([])
  })
})
