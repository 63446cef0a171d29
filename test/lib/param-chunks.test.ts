// Lists bound as parameters travel in the URL, and a ClickHouse server refuses a field over
// 128 KiB (issue 18, defect 1): paramChunks cuts them into pieces that stay under a budget.
import { describe, expect, it } from 'vitest'
import { PARAM_BYTES, paramChunks } from '../../lib/db.ts'

// The parameter as @clickhouse/client sends it: ['a','b'], quotes and backslashes escaped, percent-encoded.
const sent = (values: string[]) => encodeURIComponent(`[${values.map((v) => `'${v.replace(/[\\']/g, '\\$&')}'`).join(',')}]`).length

describe('paramChunks', () => {
  it('keeps every piece of a long list under the budget as sent, and every value once, in order', () => {
    const values = Array.from({ length: 12_000 }, (_, i) => `www.example.com/${i.toString(16).padStart(32, '0')}/it's ${i}\\`)
    const pieces = paramChunks(values)
    expect(sent(values)).toBeGreaterThan(128 * 1024)
    expect(pieces.length).toBeGreaterThan(1)
    for (const p of pieces) expect(sent(p)).toBeLessThanOrEqual(PARAM_BYTES)
    expect(pieces.flat()).toEqual(values)
  })

  it('gives a short list back whole, and nothing for nothing', () => {
    expect(paramChunks(['a', 'b'])).toEqual([['a', 'b']])
    expect(paramChunks([])).toEqual([])
  })
})
