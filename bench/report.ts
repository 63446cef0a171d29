// What every part returns, and the table the runner prints. A figure is always shown
// next to the baseline measured in the same run; the ratio is what carries over
// between machines, the absolute numbers are for this one.

export interface Row {
  part: string
  metric: string
  value: number
  unit: string
  /** The same work done the plain way, measured in the same run. */
  baseline?: { label: string; value: number }
  /** value / baseline (or baseline / value for times, so that higher is better). */
  ratio?: number
  target?: string
  ok?: boolean
}

export interface PartResult {
  part: string
  rows: Row[]
  /** Anything else worth keeping in the JSON: settings, raw distributions, counts. */
  details: Record<string, unknown>
  /** What goes into the docs between the part's markers, when the rows' table is not the best form. */
  markdown?: string
  /** The machine's 1-minute load average when the part started (set by the runner): on a shared machine, how busy it was. */
  loadAverage?: number
}

const fmt = (n: number) => (Math.abs(n) >= 100 || Number.isInteger(n) ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2))

export function table(rows: Row[]): string {
  const lines = rows.map((r) => [
    r.part,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.label})` : '',
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'met' : 'MISSED',
  ])
  const head = ['part', 'metric', 'Spoor', 'baseline', 'ratio', 'target', '']
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [row(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n')
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export interface Machine {
  cpu: string
  cores: number
  memoryGb: number
  node: string
}

/**
 * Replaces what stands between `<!-- bench:PART:start -->` and `<!-- bench:PART:end -->`
 * in the given Markdown files with each part's table, headed by the day, the machine and
 * the part's options: the docs' figures are what the bench printed, never typed in by
 * hand. Parts without markers, and everything outside them, are left alone. Returns
 * the new text of each file that changed.
 */
export function writeDocs(
  files: Record<string, string>,
  results: PartResult[],
  machine: Machine,
  options: Record<string, object>,
  day: string,
): Record<string, string> {
  const changed: Record<string, string> = {}
  for (const [file, text] of Object.entries(files)) {
    let out = text
    for (const r of results) {
      const start = `<!-- bench:${r.part}:start -->`
      const end = `<!-- bench:${r.part}:end -->`
      const a = out.indexOf(start)
      const b = out.indexOf(end, a)
      if (a < 0 || b < 0) continue
      const opts = Object.entries(options[r.part] ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : String(v)}`)
      const load = r.loadAverage === undefined ? '' : `, load average ${r.loadAverage.toFixed(1)} at its start`
      const stamp = `${day}, \`npm run bench -- --parts ${r.part}\`${opts.length ? ` (${opts.join(', ')})` : ''} on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}${load}:`
      out = `${out.slice(0, a + start.length)}\n${stamp}\n\n${r.markdown ?? table(r.rows)}\n${out.slice(b)}`
    }
    if (out !== text) changed[file] = out
  }
  return changed
}
