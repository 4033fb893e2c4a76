// The table's listing in its compact form (src/store/experiments-json.ts,
// listExperimentsCompactJson): each row's params, tags and series come as the
// stored summary [params, tags, [[name, split, count, firstStep, lastStep,
// lastTime, last, min, max, nanCount], ...]], NaN as null and ±Infinity as
// ±9e999 (which JSON.parse reads as ±Infinity). Expanded here into the
// ExperimentSummary every page reads, so the server writes no object per series.
import type { ExperimentSummary, Json, SeriesSummary } from '../../../src/store/types.js'

type SummaryRow = [string, string, number, number | null, number | null, number | null, number | null, number | null, number | null, number]
type Compact = Omit<ExperimentSummary, 'params' | 'tags' | 'series'> & { summary: [Record<string, Json>, Record<string, string>, SummaryRow[]] }

const nan = (v: number | null): number => (v === null ? Number.NaN : v)

/** One listing row, compact or full, as an ExperimentSummary (a full row is returned as it is). */
export function expandRow(row: ExperimentSummary | Compact): ExperimentSummary {
  if (!('summary' in row)) return row
  const { summary, ...rest } = row
  const [params, tags, rows] = summary
  const series: Record<string, SeriesSummary> = {}
  for (const [name, split, count, firstStep, lastStep, lastTime, last, min, max, nanCount] of rows) {
    const key = split === '' ? name : `${split}/${name}`
    series[key] = { name, split, key, count, firstStep, lastStep, lastTime, last: count === 0 ? Number.NaN : nan(last), min: nan(min), max: nan(max), nanCount }
  }
  return { ...rest, params, tags, series }
}
