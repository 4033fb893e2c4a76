import cliProgress from 'cli-progress'

/** A progress bar on stderr; does nothing when stderr is not a terminal. */
export interface Progress {
  start(total: number): void
  tick(n?: number): void
  stop(): void
}

const NONE: Progress = { start() {}, tick() {}, stop() {} }

/**
 * A bar for long work (import, export, doctor). Piped output stays clean:
 * off a terminal this returns a no-op.
 */
export function progress(label: string): Progress {
  if (!process.stderr.isTTY) return NONE
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    start(total) {
      bar.start(total, 0)
      started = true
    },
    tick(n = 1) {
      if (started) bar.increment(n)
    },
    stop() {
      if (started) bar.stop()
      started = false
    },
  }
}
