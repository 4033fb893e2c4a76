// A sweep as `npm start` makes one: 8 runs of the Iris MLP varying lr and hidden,
// with dataset, batch, epochs, optimizer and activation the same in every run.
// Names are as long as real ones (`20261126_132826_iris-mlp-h16-lr0.8`).
import { Database } from '../../src/index.js'

/** What the sweep varies and what it keeps. */
export const SWEEP = {
  varying: ['hidden', 'lr'],
  constant: ['activation', 'batch', 'dataset', 'epochs', 'optimizer'],
}

const EPOCHS = 150

/** Fills the database at `path` with the sweep; returns the names, newest first. */
export function fillSweep(path: string): string[] {
  const db = new Database({ path })
  const configs = [0.01, 0.05, 0.2, 0.8].flatMap((lr) => [4, 16].map((hidden) => ({ lr, hidden })))
  const start = Date.now() - 40 * 60_000
  const names: string[] = []
  configs.forEach(({ lr, hidden }, i) => {
    const name = `20261126_1328${String(19 + Math.floor(i / 2) * 2).padStart(2, '0')}_iris-mlp-h${hidden}-lr${lr}`
    names.push(name)
    db.setExpStatus(name, 'TRAINING', { project: 'iris' })
    db.setParams(name, { lr, hidden, epochs: EPOCHS, batch: 16, optimizer: 'sgd', activation: 'tanh', dataset: 'iris' })
    const rate = lr * (hidden === 16 ? 1.3 : 1)
    const points = []
    for (let step = 0; step < EPOCHS; step++) {
      const time = start + i * 60_000 + step * 300
      const decay = Math.exp(-step * rate * 0.4)
      const wobble = 0.015 * Math.sin(step * 0.9 + i)
      const trainLoss = 0.03 + 1.05 * decay + wobble
      const validLoss = 0.08 + 1.1 * decay + 2 * wobble + 0.0004 * step * lr
      points.push({ name: 'loss', split: 'train', step, time, value: trainLoss })
      points.push({ name: 'acc', split: 'train', step, time, value: Math.min(1, 1 - trainLoss / 1.6) })
      points.push({ name: 'loss', split: 'valid', step, time, value: validLoss })
      points.push({ name: 'acc', split: 'valid', step, time, value: Math.min(1, 1 - validLoss / 1.5) })
    }
    db.logBatch(name, points)
    db.setExpStatus(name, 'COMPLETE')
  })
  db.close()
  return names.reverse()
}
