import { describe, expect, it } from 'vitest'
import { type PartResult, writeDocs } from '../../bench/report.ts'

const machine = { cpu: 'Test CPU', cores: 2, memoryGb: 24, node: 'v20.20.2' }
const part = (name: string, value: number, extra: Partial<PartResult> = {}): PartResult => ({
  part: name,
  rows: [{ part: name, metric: 'speed', value, unit: 'req/s' }],
  details: {},
  ...extra,
})

describe('writeDocs', () => {
  const doc = [
    '# Title',
    'hand-written text stays',
    '<!-- bench:ingest:start -->',
    'old ingest table',
    '<!-- bench:ingest:end -->',
    'between the blocks',
    '<!-- bench:storage:start -->',
    'old storage table',
    '<!-- bench:storage:end -->',
    'after',
  ].join('\n')

  it('replaces only what stands between the markers of the parts that ran', () => {
    const out = writeDocs({ 'a.md': doc }, [part('ingest', 1234)], machine, { ingest: { duration: 15 } }, '2026-12-02')['a.md']!
    expect(out).not.toContain('old ingest table')
    expect(out).toContain('old storage table')
    expect(out.startsWith('# Title\nhand-written text stays\n<!-- bench:ingest:start -->\n')).toBe(true)
    expect(out).toContain('1,234 req/s')
    expect(
      out.endsWith('<!-- bench:ingest:end -->\nbetween the blocks\n<!-- bench:storage:start -->\nold storage table\n<!-- bench:storage:end -->\nafter'),
    ).toBe(true)
  })

  it('heads each table with the day, the command, the options and the machine', () => {
    const out = writeDocs({ 'a.md': doc }, [part('storage', 5, { loadAverage: 3.25 })], machine, { storage: { rows: 200000 } }, '2026-12-02')['a.md']!
    expect(out).toContain('2026-12-02, `npm run bench -- --parts storage` (rows 200,000) on 2 × Test CPU, 24 GB, Node v20.20.2, load average 3.3 at its start:')
  })

  it("writes a part's own Markdown instead of its rows when it has one", () => {
    const out = writeDocs({ 'a.md': doc }, [part('ingest', 1, { markdown: '| sizing | table |' })], machine, {}, '2026-12-02')['a.md']!
    expect(out).toContain('| sizing | table |')
    expect(out).not.toContain('req/s')
  })

  it('is idempotent and leaves files without markers alone', () => {
    const first = writeDocs({ 'a.md': doc, 'b.md': 'no markers' }, [part('ingest', 7)], machine, {}, '2026-12-02')
    expect(Object.keys(first)).toEqual(['a.md'])
    const again = writeDocs({ 'a.md': first['a.md']! }, [part('ingest', 7)], machine, {}, '2026-12-02')
    expect(again).toEqual({})
  })
})
