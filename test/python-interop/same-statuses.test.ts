import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { Database, ValidationError } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { runPython } from './lib/python.js'

const tmp = tempDir('mldb-py-status-')
afterAll(() => tmp.cleanup())

// Canonical statuses in any case and with surrounding spaces, free text, and LOST.
const GIVEN = ['training', '  Complete ', '\u00a0pending\ufeff', 'Killed', 'validating', 'Evaluating', ' warming up ', 'TRAINING!', 'lost', 'LOST', 'Lost']

it('both clients store and refuse the same statuses', () => {
  const tsPath = join(tmp.dir, 'ts.db')
  const ts: string[] = []
  {
    using db = new Database({ path: tsPath })
    GIVEN.forEach((status, i) => {
      try {
        db.setExpStatus(`exp-${i}`, status)
        ts.push(db.getExpStatus(`exp-${i}`))
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e
        ts.push('refused')
      }
    })
  }
  expect(ts.slice(0, 8)).toEqual(['TRAINING', 'COMPLETE', 'PENDING', 'KILLED', 'VALIDATING', 'Evaluating', ' warming up ', 'TRAINING!'])
  expect(ts.slice(8)).toEqual(['refused', 'refused', 'refused'])
  const py = JSON.parse(runPython(['statuses', join(tmp.dir, 'py.db'), 'exp'], JSON.stringify(GIVEN)).stdout) as string[]
  expect(py).toEqual(ts)
})
