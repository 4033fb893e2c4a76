// mldb import of CSV (read by csv-parse): quoting, line ends, a BOM, records that
// span lines across the reader's chunks, and malformed quotes refused by line.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseJsonNumbers } from '../../src/json.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
afterAll(() => t.cleanup())
beforeAll(() => {
  buildCli()
})

interface Shown {
  notes: string
  params: Record<string, unknown>
  series: Record<string, { count: number; last: number; min: number; max: number; nanCount: number }>
}
const show = (db: string, name: string) => parseJsonNumbers(ok(t.home, ['show', name, '--json', '--db', db])) as Shown
const csvCell = (s: string) => `"${s.replaceAll('"', '""')}"`

describe('mldb import FILE.csv', () => {
  it('reads quoted fields, doubled quotes, \\r\\n line ends, a BOM and a note over three lines', () => {
    const file = join(t.home, 'quoted.csv')
    const db = join(t.home, 'quoted.db')
    const note = JSON.stringify({ status: 'COMPLETE', notes: 'first line\nsecond, "quoted"\nthird' })
    const rows = [
      'record,experiment,project,series,split,step,time,value',
      `experiment,x1,default,,,,,${csvCell(note)}`,
      `param,x1,default,,,,,${csvCell(JSON.stringify({ key: 'layers', value: ['a', 'b', 'NaN'] }))}`,
      'point,x1,default,"acc, top-5",valid,0,1000,0.5',
      'point,x1,default,"say ""hi""",,1,1001,-inf',
    ]
    writeFileSync(file, `\uFEFF${rows.join('\r\n')}\r\n`)
    ok(t.home, ['import', file, '--db', db])
    const d = show(db, 'x1')
    expect(d.notes).toBe('first line\nsecond, "quoted"\nthird')
    expect(d.params).toEqual({ layers: ['a', 'b', 'NaN'] })
    expect(d.series['valid/acc, top-5']).toMatchObject({ count: 1, last: 0.5 })
    expect(d.series['say "hi"']).toMatchObject({ count: 1, last: Number.NEGATIVE_INFINITY })
  })

  it('reads a file of several MiB whose multi-line fields fall anywhere, every point and note whole', () => {
    const file = join(t.home, 'big.csv')
    const db = join(t.home, 'big.db')
    const lines = ['record,experiment,project,series,split,step,time,value']
    const n = 60_000
    for (let e = 0; e < 6; e++) {
      lines.push(`experiment,run-${e},default,,,,,${csvCell(JSON.stringify({ status: 'COMPLETE', notes: `run ${e}\nnote "${e}"\nend` }))}`)
      for (let step = 0; step < n / 6; step++)
        lines.push(`point,run-${e},default,"loss, ""smoothed""",train,${step},${1000 + step},${step % 97 === 0 ? 'NaN' : step / 7}`)
    }
    writeFileSync(file, `${lines.join('\n')}\n`)
    ok(t.home, ['import', file, '--db', db])
    for (let e = 0; e < 6; e++) {
      const d = show(db, `run-${e}`)
      expect(d.notes).toBe(`run ${e}\nnote "${e}"\nend`)
      expect(d.series['train/loss, "smoothed"']).toMatchObject({ count: n / 6, nanCount: Math.ceil(n / 6 / 97), max: (n / 6 - 1) / 7 })
    }
  })

  it('refuses a field with text after its closing quote, naming the line, and writes nothing', () => {
    const file = join(t.home, 'bad-quote.csv')
    const db = join(t.home, 'bad-quote.db')
    writeFileSync(file, 'experiment,series,split,step,value\nx1,loss,train,0,1\nx1,"loss"x,train,1,2\nx1,loss,train,2,3\n')
    const r = mldb(t.home, ['import', file, '--db', db])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: .*bad-quote\.csv line 3: Invalid Closing Quote: got "x" instead of delimiter[^\n]*\n$/)
    expect(existsSync(db) ? ok(t.home, ['ls', '--json', '--db', db]).trim() : '[]').toBe('[]')
  })

  it('refuses a quoted field that is never closed, naming the last line', () => {
    const file = join(t.home, 'open-quote.csv')
    writeFileSync(file, 'experiment,series,split,step,value\nx1,"loss,train,0,1\nx1,loss,train,1,2\n')
    const r = mldb(t.home, ['import', file, '--db', join(t.home, 'open-quote.db')])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: .*open-quote\.csv line 3: a quoted CSV field is never closed\n$/)
  })
})
