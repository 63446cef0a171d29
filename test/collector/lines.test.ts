// The writer's waiting rows: JSON lines kept in Buffers, taken out in order, intact.
import { describe, expect, it } from 'vitest'
import { LineBuffer } from '../../collector/lines.ts'

describe('LineBuffer', () => {
  it('gives back the lines it was given, in order, each ending in a newline', () => {
    const b = new LineBuffer()
    for (const l of ['{"a":1}', '{"b":"two"}', '{"c":[3]}']) b.push(l)
    expect(b.count).toBe(3)
    expect(b.take(10)).toBe('{"a":1}\n{"b":"two"}\n{"c":[3]}\n')
    expect(b.count).toBe(0)
    expect(b.take(1)).toBe('')
  })

  it('keeps multi-byte text (accents, CJK, emoji) byte-exact', () => {
    const b = new LineBuffer()
    const lines = ['{"t":"Café – naïve"}', '{"t":"東京の天気"}', '{"t":"🚀 launch 👩‍💻"}']
    for (const l of lines) b.push(l)
    expect(b.take(3)).toBe(lines.map((l) => `${l}\n`).join(''))
  })

  it('takes the first n lines and keeps the rest for the next take', () => {
    const b = new LineBuffer()
    for (let i = 0; i < 5; i++) b.push(`{"i":${i},"t":"é${i}"}`)
    expect(b.take(2)).toBe('{"i":0,"t":"é0"}\n{"i":1,"t":"é1"}\n')
    expect(b.count).toBe(3)
    b.push('{"i":5}')
    expect(b.take(100)).toBe('{"i":2,"t":"é2"}\n{"i":3,"t":"é3"}\n{"i":4,"t":"é4"}\n{"i":5}\n')
  })

  it('grows past its first chunk (256 KB) without losing or mangling a line', () => {
    const b = new LineBuffer()
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, title: `ü${'x'.repeat(300)}${i}` }))
    for (const l of lines) b.push(l)
    const text = b.take(2000)
    expect(Buffer.byteLength(text)).toBeGreaterThan(256 * 1024)
    expect(text.split('\n').slice(0, -1)).toEqual(lines)
  })
})
