/** The median of a non-empty list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** Milliseconds fn takes, by the monotonic clock. */
export function timeMs(fn: () => void): number {
  const t = performance.now()
  fn()
  return performance.now() - t
}

/** The median of `reps` timings of fn (after one untimed warm-up call when `warm`). */
export function medianMs(reps: number, fn: () => void, warm = true): number {
  if (warm) fn()
  return median(Array.from({ length: reps }, () => timeMs(fn)))
}
