// The time-series chart: uPlot (about 15 KB gzipped) drawing on a canvas.
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { TimeseriesPoint } from '../../../lib/api-types.ts'

export function Chart(props: { points: TimeseriesPoint[]; labels: [string, string] }) {
  const el = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!el.current) return
    const xs = props.points.map((p) => Date.parse(`${p.date}T00:00:00Z`) / 1000)
    const plot = new uPlot(
      {
        width: Math.max(300, el.current.clientWidth),
        height: 240,
        scales: { x: { time: true } },
        series: [
          {},
          { label: props.labels[0], stroke: '#3554d1', width: 2, fill: 'rgba(53,84,209,0.08)' },
          { label: props.labels[1], stroke: '#16a34a', width: 2 },
        ],
        axes: [{}, { size: 50 }],
      },
      [xs, props.points.map((p) => p.visitors), props.points.map((p) => p.pageviews)],
      el.current,
    )
    return () => plot.destroy()
  }, [props.points, props.labels[0], props.labels[1]])
  return <div class="chart" ref={el} data-testid="chart" />
}
