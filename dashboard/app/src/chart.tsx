// The time-series chart: uPlot (about 15 KB gzipped) drawing on a canvas. The API's
// dates are the site's wall-clock days and hours; they are drawn as UTC so that the
// browser's own time zone does not shift them, and labelled in the chosen language.
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { Interval, TimeseriesPoint } from '../../../lib/api-types.ts'
import { dates, type Lang, number, wallClock } from './i18n.ts'

/** How a bucket is written on the axis, and in the legend (longer). */
const AXIS: Record<Interval, Intl.DateTimeFormatOptions> = {
  hour: { hour: 'numeric', minute: '2-digit' },
  day: { day: 'numeric', month: 'short' },
  week: { day: 'numeric', month: 'short' },
  month: { month: 'short', year: 'numeric' },
}
const LEGEND: Record<Interval, Intl.DateTimeFormatOptions> = {
  hour: { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' },
  day: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
  week: { day: 'numeric', month: 'short', year: 'numeric' },
  month: { month: 'long', year: 'numeric' },
}

export function Chart(props: { points: TimeseriesPoint[]; interval: Interval; labels: [string, string, string]; lang: Lang }) {
  const el = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!el.current) return
    const xs = props.points.map((p) => wallClock(p.date).getTime() / 1000)
    const axis = dates(AXIS[props.interval])
    const legend = dates(LEGEND[props.interval])
    const count = (v: number | null) => (v === null ? '–' : number(v))
    const plot = new uPlot(
      {
        width: Math.max(300, el.current.clientWidth),
        height: 240,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true } },
        series: [
          { label: props.labels[0], value: (_u, v) => (v === null ? '–' : legend.format(new Date(v * 1000))) },
          { label: props.labels[1], stroke: '#3554d1', width: 2, fill: 'rgba(53,84,209,0.08)', value: (_u, v) => count(v) },
          { label: props.labels[2], stroke: '#16a34a', width: 2, value: (_u, v) => count(v) },
        ],
        axes: [
          { values: (_u, splits) => splits.map((s) => axis.format(new Date(s * 1000))) },
          { size: 50, values: (_u, splits) => splits.map((s) => number(s)) },
        ],
      },
      [xs, props.points.map((p) => p.visitors), props.points.map((p) => p.pageviews)],
      el.current,
    )
    return () => plot.destroy()
  }, [props.points, props.interval, props.lang, ...props.labels])
  return <div class="chart" ref={el} data-testid="chart" data-interval={props.interval} />
}
