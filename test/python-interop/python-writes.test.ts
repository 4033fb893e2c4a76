import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { Database, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { expectedPoints, opsJson, PARAMS, sampleOps } from './lib/ops.js'
import { camelSeries, type PyDump, pythonJson, runPython } from './lib/python.js'

const tmp = tempDir('mldb-py-writes-')
afterAll(() => tmp.cleanup())

describe('what Python writes, the TypeScript API reads identically', () => {
  const path = join(tmp.dir, 'py.db')
  const model = join(tmp.dir, 'model.bin')
  writeFileSync(model, 'weights'.repeat(100))
  const ops = sampleOps(model)
  const py = pythonJson<PyDump>(['replay', path, 'exp'], opsJson(ops))

  it('reads every point, NaN and ±Infinity included, in step order', () => {
    using db = new Database({ path })
    const expected = expectedPoints(ops)
    expect([...expected.keys()].sort()).toEqual(
      db
        .getSeries('exp')
        .map((s) => s.key)
        .sort(),
    )
    for (const [key, points] of expected) {
      const [split, name] = key.includes('/') ? (key.split('/') as [string, string]) : ['', key]
      const ts = db.getMetricValues('exp', name, { split })
      // toEqual treats NaN as equal to NaN and tells Infinity from -Infinity.
      expect(ts.map((p) => [p.step, p.value])).toEqual(points)
      expect(ts).toEqual(py.values[key])
    }
    const train = db.getLossValues('exp', 'train')
    expect(train.filter((p) => Number.isNaN(p.value)).length).toBe(12)
    expect(train[5]?.value).toBe(Number.POSITIVE_INFINITY)
    expect(train[6]?.value).toBe(Number.NEGATIVE_INFINITY)
  })

  it('reads the same series summaries Python reads', () => {
    using db = new Database({ path })
    expect(db.getSeries('exp')).toEqual(py.series.map(camelSeries))
    const train = db.getSeries('exp').find((s) => s.key === 'train/loss')
    expect(train).toMatchObject({ count: 200, firstStep: 0, lastStep: 199, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY, nanCount: 12 })
  })

  it('reads status, history, params, tags, notes and files', () => {
    using db = new Database({ path })
    expect(db.getExpStatus('exp')).toBe('COMPLETE')
    expect(db.getStatusHistory('exp').map((h) => h.status)).toEqual(['TRAINING', 'COMPLETE'])
    expect(db.getParams('exp')).toEqual(PARAMS)
    expect(db.getParams('exp')).toEqual(py.params)
    expect(db.getTags('exp')).toEqual({ team: 'vision', n: '3', ok: 'true' })
    expect(db.getNotes('exp')).toBe('two\nlines')
    const [file] = db.getFiles('exp')
    expect(file).toMatchObject({ path: model, kind: 'model', step: 3, size: 700, meta: { format: 'pt' } })
    expect(file?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(db.getFiles('exp').map(({ createdAt, ...f }) => f)).toEqual(py.files.map(({ created_at, ...f }) => f))
    const [listed] = db.listExperiments({ project: 'interop' })
    expect(listed).toMatchObject({ name: 'exp', project: 'interop', status: 'COMPLETE' })
    const times = db.getStatusHistory('exp').map((h) => h.time)
    expect([listed?.startedAt, listed?.endedAt]).toEqual(times)
  })

  it('writes params as the very JSON text TypeScript writes, so re-sending them is a no-op', () => {
    const rows = () => {
      const raw = new Sqlite(path, { readonly: true })
      try {
        return raw.prepare('SELECT * FROM params ORDER BY key').all()
      } finally {
        raw.close()
      }
    }
    const before = rows()
    expect(before).toHaveLength(Object.keys(PARAMS).length)
    using db = new Database({ path })
    db.setParams('exp', PARAMS)
    expect(rows()).toEqual(before)
    expect(db.getExperiment('exp').params).toEqual(PARAMS)
    expect(() => db.setParams('exp', { lr: 0.002 })).toThrow(ValidationError)
  })

  it('refuses NaN and Infinity params on both sides, writing nothing', () => {
    for (const bad of ['{"x": NaN}', '{"x": Infinity}', '{"x": -Infinity}']) {
      expect(() => runPython(['set-params', path, 'exp'], bad)).toThrow(/JSON cannot hold NaN or Infinity/)
    }
    using db = new Database({ path })
    expect(() => db.setParams('exp', { x: Number.NaN })).toThrow(ValidationError)
    expect(Object.keys(db.getParams('exp'))).not.toContain('x')
  })
})
