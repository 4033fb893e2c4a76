import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { expectedPoints, PARAMS, replayTs, sampleOps } from './lib/ops.js'
import { camelSeries, type PyDump, pythonJson, runPython } from './lib/python.js'

const tmp = tempDir('mldb-ts-writes-')
afterAll(() => tmp.cleanup())

describe('what TypeScript writes, the Python API reads identically', () => {
  const path = join(tmp.dir, 'ts.db')
  const model = join(tmp.dir, 'model.bin')
  writeFileSync(model, 'weights'.repeat(100))
  const ops = sampleOps(model)
  {
    using db = new Database({ path })
    replayTs(db, 'exp', ops)
  }
  const py = pythonJson<PyDump>(['dump', path, 'exp'])

  it('reads every point, NaN and ±Infinity included', () => {
    using db = new Database({ path })
    for (const [key, points] of expectedPoints(ops)) {
      expect(py.values[key]?.map((p) => [p.step, p.value])).toEqual(points)
      const [split, name] = key.includes('/') ? (key.split('/') as [string, string]) : ['', key]
      expect(py.values[key]).toEqual(db.getMetricValues('exp', name, { split }))
    }
  })

  it('reads the same summaries, params, tags, notes, files and status', () => {
    using db = new Database({ path })
    expect(py.series.map(camelSeries)).toEqual(db.getSeries('exp'))
    expect(py.params).toEqual(PARAMS)
    expect(py.tags).toEqual(db.getTags('exp'))
    expect(py.notes).toBe('two\nlines')
    expect(py.status).toBe('COMPLETE')
    expect(py.history).toEqual(['TRAINING', 'COMPLETE'])
    expect(py.files.map(({ created_at, ...f }) => f)).toEqual(db.getFiles('exp').map(({ createdAt, ...f }) => f))
    expect(py.experiment).toMatchObject({ name: 'exp', project: 'interop', status: 'COMPLETE', notes: 'two\nlines' })
  })

  it('accepts the params TypeScript wrote as unchanged when Python sends them again', () => {
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
    expect(runPython(['set-params', path, 'exp'], JSON.stringify(PARAMS)).status).toBe(0)
    expect(rows()).toEqual(before)
    expect(() => runPython(['set-params', path, 'exp'], '{"lr": 0.002}')).toThrow(/already 0.001/)
  })
})
