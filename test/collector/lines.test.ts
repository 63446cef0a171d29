// The writer's waiting rows: JSON lines kept in Buffers, taken out in order, intact.
import { describe, expect, it } from 'vitest'
import { LineBuffer } from '../../collector/lines.ts'

describe('LineBuffer', () => {
  it('gives back the lines it was given, in order, each ending in a newline, and starts empty again', () => {
    const b = new LineBuffer()
    for (const l of ['{"a":1}', '{"b":"two"}', '{"c":[3]}']) b.push(l)
    expect(b.count).toBe(3)
    expect(b.takeAll()).toBe('{"a":1}\n{"b":"two"}\n{"c":[3]}\n')
    expect(b.count).toBe(0)
    expect(b.takeAll()).toBe('')
    b.push('{"d":4}')
    expect(b.takeAll()).toBe('{"d":4}\n')
  })

  it('keeps multi-byte text (accents, CJK, emoji) byte-exact', () => {
    const b = new LineBuffer()
    const lines = ['{"t":"Café – naïve"}', '{"t":"東京の天気"}', '{"t":"🚀 launch 👩‍💻"}']
    for (const l of lines) b.push(l)
    expect(b.takeAll()).toBe(lines.map((l) => `${l}\n`).join(''))
  })

  it('grows past its first chunk (256 KB) without losing or mangling a line', () => {
    const b = new LineBuffer()
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, title: `ü${'x'.repeat(300)}${i}` }))
    for (const l of lines) b.push(l)
    expect(b.count).toBe(2000)
    const text = b.takeAll()
    expect(Buffer.byteLength(text)).toBeGreaterThan(256 * 1024)
    expect(text.split('\n').slice(0, -1)).toEqual(lines)
  })
})
