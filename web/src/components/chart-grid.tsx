// One chart per series name for a set of experiments, with the controls that
// apply to all of them (x axis, smoothing, log scale) kept in the URL.
import { useMemo } from 'react'
import type { XMode } from '../lib/align'
import type { ExperimentSummary } from '../lib/api'
import { runColor } from '../lib/colors'
import { setQuery, useRoute } from '../lib/route'
import { shortNames } from '../lib/short-names'
import { type ChartLine, SeriesChart } from './series-chart'

/** Groups the experiments' series by name into chart lines, labelled by the part of their names that differs. */
export function chartLines(exps: readonly ExperimentSummary[]): Map<string, ChartLine[]> {
  const byName = new Map<string, ChartLine[]>()
  const short = shortNames(exps.map((e) => e.name))
  exps.forEach((e, i) => {
    const keys = Object.keys(e.series).sort()
    for (const key of keys) {
      const s = e.series[key]
      if (!s) continue
      let list = byName.get(s.name)
      if (!list) {
        list = []
        byName.set(s.name, list)
      }
      list.push({
        id: `${e.name}\u0000${key}`,
        exp: e.name,
        key,
        split: s.split,
        label: s.split ? `${short[i]} · ${s.split}` : (short[i] as string),
        fullLabel: s.split ? `${e.name} · ${s.split}` : e.name,
        color: runColor(i),
        lastStep: s.lastStep,
        t0: e.startedAt ?? e.createdAt,
      })
    }
  })
  // loss first, then alphabetical: the chart people look at first
  return new Map([...byName].sort(([a], [b]) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b))))
}

/** The chart controls and the charts. */
export function ChartGrid({ exps }: { exps: readonly ExperimentSummary[] }) {
  const { query } = useRoute()
  const xMode = (['step', 'time', 'relative'].includes(query.get('x') ?? '') ? query.get('x') : 'step') as XMode
  const smoothing = Math.min(0.99, Math.max(0, Number(query.get('smooth') ?? 0) || 0))
  const logY = query.get('log') === '1'
  const options = useMemo(() => ({ xMode, smoothing, logY }), [xMode, smoothing, logY])
  // Lines change identity only when a series appears, not on every live update.
  const shape = exps.map((e) => `${e.name}:${Object.keys(e.series).sort().join(',')}`).join('|')
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when the set of series changes
  const charts = useMemo(() => chartLines(exps), [shape])

  return (
    <div className="chart-grid-wrap">
      <div className="toolbar chart-controls">
        <label className="control">
          x axis
          <select
            className="input select"
            data-testid="x-mode"
            value={xMode}
            onChange={(e) => setQuery({ x: e.target.value === 'step' ? undefined : e.target.value })}
          >
            <option value="step">step</option>
            <option value="time">wall time</option>
            <option value="relative">relative time</option>
          </select>
        </label>
        <label className="control">
          smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            data-testid="smoothing"
            onChange={(e) => setQuery({ smooth: e.target.value === '0' ? undefined : e.target.value })}
          />
          <span className="mono small">{smoothing.toFixed(2)}</span>
        </label>
        <label className="control">
          <input type="checkbox" checked={logY} data-testid="log-y" onChange={(e) => setQuery({ log: e.target.checked ? '1' : undefined })} /> log y
        </label>
        <span className="muted small">drag to zoom · double-click to reset · train solid, valid dashed</span>
      </div>
      {charts.size === 0 && <div className="empty">These experiments have no series yet.</div>}
      <div className="chart-grid">
        {[...charts].map(([name, lines]) => (
          <SeriesChart key={name} title={name} lines={lines} options={options} />
        ))}
      </div>
    </div>
  )
}
