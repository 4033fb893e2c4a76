// How numbers, times and sizes read in the dashboard: short and comparable.

/** "3m ago", "2h ago", "5d ago". */
export function ago(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return '—'
  const s = Math.max(0, (now - ms) / 1000)
  if (s < 60) return `${Math.floor(s)}s ago`
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`
  return `${Math.floor(s / 86400)}d ago`
}

/** "42s", "3m 05s", "2h 10m". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`
}

/**
 * A metric value with 4 significant digits; NaN and infinities spelled out. The
 * same rule as the CLI's table (src/cli/format.ts): integers as they are,
 * exponent form below 0.001 and from 1e6, so one column never shows `1.000e-4`
 * beside `0.0001714`.
 *
 * @example num(0.0001714) // '1.714e-4'
 */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—'
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞'
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v)
  const a = Math.abs(v)
  if (a < 1e-3 || a >= 1e6) return v.toExponential(3)
  return String(Number(v.toPrecision(4)))
}

/** A param value as text: strings bare, the rest as JSON (numbers as written, 0.0001 not 1.000e-4, as the CLI shows them). */
export function paramText(v: unknown): string {
  if (v === undefined) return '—'
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

/** "1.2 MB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** A local date and time, to the second. */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}
