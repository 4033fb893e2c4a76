// A small but realistic database for the browser tests: two projects, a sweep
// with params and train/valid series, a failed run, a LOST run, a running one,
// and one with a PNG image and a model file.
import { join } from 'node:path'
import { Database } from '../../src/index.js'
import { makePng, writeFileIn } from './helpers.js'

/** Names the tests look for. */
export const FIX = {
  sweep: ['sweep-lr0.1-h32', 'sweep-lr0.03-h64', 'sweep-lr0.01-h32', 'sweep-lr0.003-h128', 'sweep-lr0.001-h64'],
  failed: 'diverged-lr1.0',
  lost: 'lost-node7',
  running: 'live-training',
  image: 'segmenter-v2',
}

const curve = (step: number, lr: number, hidden: number, noise: number) =>
  0.15 + 2.2 * Math.exp(-step * lr * 0.9) * (32 / hidden) ** 0.25 + noise * Math.sin(step * 1.7 + hidden)

/** Fills the database at `path` (files go under `dir`). */
export function fillFixture(path: string, dir: string): void {
  const db = new Database({ path })
  const start = Date.now() - 3 * 3600_000
  const lrs = [0.1, 0.03, 0.01, 0.003, 0.001]
  const hiddens = [32, 64, 32, 128, 64]
  FIX.sweep.forEach((name, i) => {
    const lr = lrs[i] as number
    const hidden = hiddens[i] as number
    db.setExpStatus(name, 'TRAINING', { project: 'iris' })
    db.setParams(name, { lr, hidden, optimizer: i % 2 ? 'sgd' : 'adam', epochs: 60 })
    const points = []
    for (let step = 0; step < 60; step++) {
      const time = start + i * 600_000 + step * 20_000
      points.push({ name: 'loss', split: 'train', step, time, value: curve(step, lr * 10, hidden, 0.02) })
      points.push({ name: 'loss', split: 'valid', step, time, value: curve(step, lr * 10, hidden, 0.05) + 0.08 })
      points.push({ name: 'acc', split: 'valid', step, time, value: Math.min(0.99, 1 - curve(step, lr * 10, hidden, 0.03) / 2.6) })
    }
    // one spike the min/max band must keep visible
    if (i === 0) points.push({ name: 'loss', split: 'train', step: 60, time: start + 60 * 20_000, value: 3.5 })
    db.logBatch(name, points)
    db.setExpStatus(name, 'COMPLETE')
  })
  db.setExpStatus(FIX.failed, 'TRAINING', { project: 'iris' })
  db.setParams(FIX.failed, { lr: 1.0, hidden: 32, optimizer: 'adam', epochs: 60 })
  db.logBatch(FIX.failed, [
    ...Array.from({ length: 12 }, (_, s) => ({ name: 'loss', split: 'train', step: s, value: 1 + s * s * 0.2 })),
    { name: 'loss', split: 'train', step: 12, value: Number.NaN },
  ])
  db.setExpStatus(FIX.failed, 'FAILED')

  db.setExpStatus(FIX.lost, 'TRAINING', { project: 'nlp' })
  db.setParams(FIX.lost, { lr: 0.0003, layers: 6 })
  db.logBatch(
    FIX.lost,
    Array.from({ length: 30 }, (_, s) => ({ name: 'loss', split: 'train', step: s, value: 4 / (1 + s * 0.2) })),
  )
  // its process died 10 minutes ago: no heartbeat since (the API has no call to fake that)
  db.sqlite.prepare('UPDATE experiments SET heartbeat_at = ?, updated_at = ? WHERE name = ?').run(Date.now() - 600_000, Date.now() - 600_000, FIX.lost)

  db.setExpStatus(FIX.running, 'TRAINING', { project: 'nlp' })
  db.setParams(FIX.running, { lr: 0.001, layers: 12 })
  db.logBatch(
    FIX.running,
    Array.from({ length: 20 }, (_, s) => ({ name: 'loss', split: 'train', step: s, value: 3 / (1 + s * 0.3) })),
  )
  db.heartbeat(FIX.running)

  db.setExpStatus(FIX.image, 'TRAINING', { project: 'vision' })
  db.setParams(FIX.image, { lr: 0.01, backbone: 'resnet18' })
  db.logBatch(
    FIX.image,
    Array.from({ length: 25 }, (_, s) => ({ name: 'iou', split: 'valid', step: s, value: 0.3 + 0.5 * (1 - Math.exp(-s / 6)) })),
  )
  const png = writeFileIn(join(dir, 'files', 'mask-step24.png'), makePng(64, 48))
  db.addFile(FIX.image, png, { kind: 'image', step: 24 })
  const model = writeFileIn(join(dir, 'files', 'model.safetensors'), Buffer.alloc(4096, 7))
  db.addFile(FIX.image, model, { kind: 'model', step: 24, hash: true })
  db.setNotes(FIX.image, 'baseline segmenter')
  db.setExpStatus(FIX.image, 'COMPLETE')
  db.close()
}
