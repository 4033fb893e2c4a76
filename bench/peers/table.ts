// bench:peers' table, in Markdown so it pastes into the README as printed.
export interface PeerFigures {
  label: string
  percall_points_per_s?: number | undefined
  batched_points_per_s?: number | undefined
  concurrent_points_per_s?: number | undefined
  concurrent_errors: number
  concurrent_lost: number
  bytes_per_point?: number | undefined
  bytes_points?: number | undefined
  list_ms?: number | undefined
  filter_ms?: number | undefined
  runs?: number | undefined
  listed?: number | undefined
  filtered?: number | undefined
  filter_expected?: number | undefined
  read_ms?: number | undefined
  read_points?: number | undefined
  kill9_survived?: number | undefined
  kill9_of: number
}

const n = (x: number | undefined, digits = 0) => (x === undefined ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits }))
/** How many times better mldb TS is than this client: >1 mldb better, <1 the peer. */
const ratioOf = (mldb: number | undefined, peer: number | undefined, higherIsBetter: boolean) => {
  if (mldb === undefined || peer === undefined || mldb === 0 || peer === 0) return ''
  const r = higherIsBetter ? mldb / peer : peer / mldb
  return ` (${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×)`
}

export function renderPeers(
  figures: Record<string, PeerFigures>,
  meta: { date: string; mode: string; cpus: number; cpu_model: string; sizes: { reps: number; runs: number; series_n: number; bytes_n: number } },
): string {
  const m = figures['mldb-ts']
  const head = [
    'client',
    'one call per point, pts/s',
    'batched, pts/s',
    '16 processes, pts/s',
    'bytes/point',
    `list runs, ms (runs)`,
    'filter, ms (matches)',
    `read series, ms (points)`,
    'kill -9: survived',
  ]
  const rows = Object.entries(figures).map(([id, f]) => {
    // no ratio of mldb TS with itself
    const ratio = id === 'mldb-ts' ? () => '' : ratioOf
    return [
      id,
      n(f.percall_points_per_s) + ratio(m?.percall_points_per_s, f.percall_points_per_s, true),
      n(f.batched_points_per_s) + ratio(m?.batched_points_per_s, f.batched_points_per_s, true),
      `${n(f.concurrent_points_per_s)}${ratio(m?.concurrent_points_per_s, f.concurrent_points_per_s, true)}; ${f.concurrent_errors} errors, ${f.concurrent_lost} lost`,
      n(f.bytes_per_point, 1) +
        ratio(m?.bytes_per_point, f.bytes_per_point, false) +
        (f.bytes_points !== undefined && f.bytes_points < meta.sizes.bytes_n ? ` [${n(f.bytes_points)} pts]` : ''),
      f.list_ms === undefined ? 'n/a' : `${n(f.list_ms, 1)}${f.runs === m?.runs ? ratio(m?.list_ms, f.list_ms, false) : ''} (${n(f.listed)})`,
      f.filter_ms === undefined
        ? 'n/a'
        : `${n(f.filter_ms, 1)}${f.runs === m?.runs ? ratio(m?.filter_ms, f.filter_ms, false) : ''} (${n(f.filtered)}${f.filtered === f.filter_expected ? '' : ` ≠ ${n(f.filter_expected)}`})`,
      f.read_ms === undefined
        ? 'n/a'
        : `${n(f.read_ms, 1)}${f.read_points === m?.read_points ? ratio(m?.read_ms, f.read_ms, false) : ''} (${n(f.read_points)})`,
      f.kill9_survived === undefined ? 'n/a' : `${n(f.kill9_survived)} of ${f.kill9_of}`,
    ]
  })
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [
    `bench:peers, ${meta.mode} run, ${meta.date.slice(0, 10)}, ${meta.cpus} × ${meta.cpu_model}; median of ${meta.sizes.reps}; ${n(meta.sizes.runs)} runs listed, ${n(meta.sizes.series_n)}-point series read, bytes on ${n(meta.sizes.bytes_n)} points`,
    '(N×) = how many times better mldb TS is than that client (>1: mldb faster/smaller; <1: the peer). A ratio is left out where the peer held fewer runs or points.',
    '',
    line(head),
    line(head.map(() => '---')),
    ...rows.map(line),
  ].join('\n')
}
