import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { type PyDump, pythonJson, runPython } from './lib/python.js'

const tmp = tempDir('mldb-py-tail-')
afterAll(() => tmp.cleanup())

describe('points in a series tail, one client writing and the other reading', () => {
  it('Python reads exact summaries of a series TypeScript is still logging one call at a time, and vice versa', () => {
    const path = join(tmp.dir, 'tail.db')
    using ts = new Database({ path })
    for (let s = 0; s < 100; s++) ts.addMetricValue('e', 'x', s, s === 70 ? Number.NaN : s)
    // 64 folded into a block, 36 in the tail of the open connection.
    const py = pythonJson<PyDump>(['dump', path, 'e'])
    expect(py.series[0]).toMatchObject({ key: 'x', count: 100, last_step: 99, last: 99, min: 0, max: 99, nan_count: 1 })
    // Python logs one call at a time too, after TypeScript's points, then closes (folding its tail).
    runPython(['replay', path, 'e'], JSON.stringify(Array.from({ length: 10 }, (_, k) => ({ op: 'metric', name: 'x', step: 100 + k, value: -k }))))
    ts.addMetricValue('e', 'x', 110, 0.5)
    expect(ts.getSeries('e')[0]).toMatchObject({ count: 111, lastStep: 110, last: 0.5, min: -9, max: 99, nanCount: 1 })
  })
})
