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
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2))

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
