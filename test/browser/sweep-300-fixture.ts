// A 300-run sweep for the chart tests, the README screenshots and the UI benchmark:
// lr in 4 values (e % 4), three series per run. `acc/valid` is flat per run so a
// group's mean and median are known exactly: in lr group g, runs 0..59 hold g and
// runs 60..74 hold g + 1 (mean g + 0.2, median g, min–max g..g+1).
import { type BatchPoint, Database } from '../../src/index.js'

export const SWEEP_RUNS = 300
export const LRS = [0.0001, 0.001, 0.01, 0.1]

/** The name of run e. */
export const runName = (e: number) => `sweep-${String(e).padStart(3, '0')}`

/** Writes the sweep into a new database at `path`, `points` per series. */
export function fillSweep300(path: string, points: number): void {
  const db = new Database({ path })
  const start = Date.now() - 86_400_000
  for (let e = 0; e < SWEEP_RUNS; e++) {
    const name = runName(e)
    const g = e % LRS.length
    const m = Math.floor(e / LRS.length)
    const lr = LRS[g] as number
    db.setExpStatus(name, 'TRAINING', { project: 'sweep' })
    db.setParams(name, { lr, seed: m, hidden: 64 << (m % 3) })
    const t = start + e * 30_000
    const batch: BatchPoint[] = []
    const rate = 0.5 + g * 0.6 + (m % 7) * 0.05
    for (let s = 0; s < points; s++) {
      const x = s / points
      const loss = 0.15 + 2 * Math.exp(-x * 4 * rate) + 0.03 * Math.sin(s * 0.7 + e)
      batch.push({ name: 'loss', split: 'train', step: s, time: t + s * 500, value: loss })
      batch.push({ name: 'loss', split: 'valid', step: s, time: t + s * 500, value: loss + 0.06 + 0.02 * Math.cos(s * 0.3 + e) })
      batch.push({ name: 'acc', split: 'valid', step: s, time: t + s * 500, value: g + (m < 60 ? 0 : 1) })
    }
    db.logBatch(name, batch)
    db.setExpStatus(name, e % 37 === 5 ? 'FAILED' : 'COMPLETE')
  }
  db.close()
}
