// The journal on its own: what is appended is on disk when `done` is called, a cut-off
// last line is left out on reading, and one process owns a directory.
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Journal } from '../../collector/journal.ts'
import { journalDir } from '../helpers/app.ts'

const appended = (j: Journal, lines: Array<['e' | 'i' | 'f', string]>) =>
  new Promise<void>((resolve, reject) => j.append(lines, (err) => (err ? reject(err) : resolve())))

describe('Journal', () => {
  it('has the lines on disk when it says so, and a seal starts a new segment', async () => {
    const dir = journalDir()
    const j = new Journal(dir, true) // with fdatasync
    await Promise.all([
      appended(j, [
        ['e', '{"a":1}'],
        ['i', '{"ip":1}'],
      ]),
      appended(j, [['e', '{"a":2}']]),
    ])
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'))
    expect(files).toHaveLength(1)
    expect(readFileSync(join(dir, files[0]!), 'utf8')).toBe('e{"a":1}\ni{"ip":1}\ne{"a":2}\n')
    const sealed = await j.seal()
    expect(sealed.name).toBe(files[0])
    expect(Journal.read(sealed)).toEqual({ e: { text: '{"a":1}\n{"a":2}\n', count: 2 }, i: { text: '{"ip":1}\n', count: 1 }, f: { text: '', count: 0 } })
    await appended(j, [['f', '{"d":"x"}']])
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(2)
    expect(j.bytes).toBe(sealed.bytes + 11) // f{"d":"x"} and a newline
    j.remove(sealed)
    expect(j.bytes).toBe(11)
    await j.close()
    // The last segment held a row: it stays for the next start.
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1)
  })

  it('leaves out a last line cut short by a kill, which was never acknowledged', async () => {
    const dir = journalDir()
    const j = new Journal(dir)
    await appended(j, [['e', '{"a":1}']])
    const s = await j.seal()
    appendFileSync(s.path, 'e{"a":2,"tit')
    expect(Journal.read(s).e).toEqual({ text: '{"a":1}\n', count: 1 })
    await j.close()
  })

  it('finds what an earlier process left, oldest first, and refuses a directory another live process holds', async () => {
    const dir = journalDir()
    const j = new Journal(dir)
    await appended(j, [['e', '{"a":1}']])
    const first = await j.seal()
    await appended(j, [['e', '{"a":2}']])
    // Killed here: no close. The next process (this one again) takes over the directory.
    const next = new Journal(dir)
    const left = next.leftover()
    expect(left.map((s) => s.name)[0]).toBe(first.name)
    expect(left.map((s) => Journal.read(s).e.text).join('')).toBe('{"a":1}\n{"a":2}\n')
    // Another live process (the test runner's parent) holding the lock: refused, named.
    writeFileSync(join(dir, 'LOCK'), String(process.ppid))
    expect(() => new Journal(dir)).toThrow(/in use by process \d+; give each collector process its own JOURNAL_DIR/)
  })

  it('seals at once while appends keep arriving, and loses none of them', async () => {
    const dir = journalDir()
    const j = new Journal(dir, true)
    let going = true
    let n = 0
    const pump = () => {
      if (!going) return
      j.append([['e', `{"n":${n++}}`]], () => {})
      setImmediate(pump)
    }
    pump()
    await new Promise((r) => setTimeout(r, 30))
    const sealed = await Promise.race([j.seal(), new Promise<null>((r) => setTimeout(() => r(null), 2000))])
    going = false
    expect(sealed).not.toBeNull()
    await j.close()
    const lines = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('')
      .split('\n')
      .filter(Boolean)
    expect(lines).toHaveLength(n)
  })
})
