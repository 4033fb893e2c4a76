// Formatting of times, durations, numbers and sparklines for terminal output.

/**
 * A past time as "12s ago", "3m ago", "5h ago", "4d ago", or a date when older than 60 days.
 *
 * @example relativeTime(Date.now() - 180_000) // '3m ago'
 */
export function relativeTime(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return '-'
  const s = Math.round((now - ms) / 1000)
  if (s < 0) return 'just now'
  if (s < 60) return `${s}s ago`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ago`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h}h ago`
  const d = Math.floor(h / 24)
  if (d < 60) return `${d}d ago`
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * A duration as "42s", "3m 07s", "1h 04m" or "2d 03h".
 *
 * @example duration(3_840_000) // '1h 04m'
 */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-'
  const s = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${pad(s % 60)}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h ${pad(m % 60)}m`
  return `${Math.floor(h / 24)}d ${pad(h % 24)}h`
}

/**
 * A metric value for a table: up to 4 significant digits, NaN and ±Infinity spelled out.
 *
 * @example formatNumber(0.123456) // '0.1235'
 */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-'
  if (Number.isNaN(v)) return 'NaN'
  if (v === Number.POSITIVE_INFINITY) return 'Infinity'
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity'
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v)
  const a = Math.abs(v)
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3)
  return String(Number(v.toPrecision(4)))
}

/** A byte count as "812 B", "4.2 kB", "13.0 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let v = n
  let i = -1
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(1)} ${units[i]}`
}

/** A param value for a table: strings bare, the rest as JSON. */
export function formatParam(v: unknown): string {
  if (v === undefined) return '-'
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

const BARS = '▁▂▃▄▅▆▇█'

/**
 * A one-line Unicode sparkline of the values; NaN shows as a space and
 * ±Infinity at the ends of the scale, so a diverged run is visible.
 *
 * @example sparkline([3, 2, 1.5, 1.2, 1]) // '█▄▂▁▁'
 */
export function sparkline(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v))
  const lo = finite.length ? Math.min(...finite) : 0
  const hi = finite.length ? Math.max(...finite) : 0
  const top = BARS.length - 1
  return values
    .map((v) => {
      if (Number.isNaN(v)) return ' '
      if (v === Number.POSITIVE_INFINITY) return BARS[top]
      if (v === Number.NEGATIVE_INFINITY) return BARS[0]
      const i = hi === lo ? Math.floor(top / 2) : Math.round(((v - lo) / (hi - lo)) * top)
      return BARS[i]
    })
    .join('')
}
