// Text written before U+0000 (and lone surrogates) were refused may still sit in an old
// database, and so in its `mldb export` file. `mldb import` checks every text of the file
// as a write would and refuses the whole file, naming the line, the experiment (or model)
// and the field, writing nothing (docs/cli.md). `mldb ls` / `mldb show` print such a NUL as ␀.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

let t: ReturnType<typeof tempHome>
beforeEach(() => {
  buildCli()
  t = tempHome()
  const w = join(t.home, 'w.bin')
  writeFileSync(w, 'weights')
  using db = new Database({ path: t.db, server: '' })
  db.logBatch('e1', [{ name: 'loss', step: 0, value: 0.5 }])
  db.setTags('e1', { team: 'vision', lab: 'north' })
  db.setNotes('e1', 'first try')
  db.addFile('e1', w, { kind: 'model', meta: { note: 'ok' } })
  db.registerModel('iris', { exp: 'e1', description: 'first' })
})
afterEach(() => t.cleanup())

/** Writes a NUL with raw SQL, as a version before the rule could have stored. */
function rawSql(sql: string): void {
  const file = new Sqlite(t.db)
  file.prepare(sql).run()
  file.close()
}

describe('mldb import of an export file holding U+0000', () => {
  const cases: [string, string, RegExp][] = [
    ['a tag', "UPDATE tags SET value = 'vi' || char(0) || 'sion' WHERE key = 'team'", /experiment "e1": tag "team" contains U\+0000/],
    ['the notes', "UPDATE experiments SET notes = 'first' || char(0) || 'try'", /experiment "e1": notes contains U\+0000/],
    [
      'file meta',
      "UPDATE file_pointers SET meta = json_object('note', 'o' || char(0) || 'k')",
      /experiment "e1": file ".*w\.bin" meta "note" contains U\+0000/,
    ],
    ['a model description', "UPDATE registered_models SET description = 'fi' || char(0) || 'rst'", /model "iris": description contains U\+0000/],
    [
      'a model version description',
      "UPDATE model_versions SET description = 'fi' || char(0) || 'rst'",
      /model_version "iris" version "1": description contains U\+0000/,
    ],
  ]
  for (const [what, sql, names] of cases) {
    it(`refuses the whole file over ${what}, naming its line, writing nothing`, () => {
      rawSql(sql)
      const out = join(t.home, 'x.jsonl')
      ok(t.home, ['export', '--out', out, '--db', t.db])
      const lineNo =
        readFileSync(out, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('\\u0000')) + 1
      expect(lineNo).toBeGreaterThan(0)
      const target = join(t.home, 'new.db')
      ok(t.home, ['log', 'other', 'acc', '0.5', '--step', '0', '--create', '--db', target])
      const r = mldb(t.home, ['import', out, '--db', target])
      expect(r.status).toBe(1)
      expect(r.stderr.split('\n')).toHaveLength(2)
      expect(r.stderr).toContain(`x.jsonl line ${lineNo}: `)
      expect(r.stderr).toMatch(names)
      expect(r.stderr).toMatch(/remove it; nothing was imported\n$/)
      const names2 = (JSON.parse(ok(t.home, ['ls', '--json', '--db', target])) as { name: string }[]).map((e) => e.name)
      expect(names2).toEqual(['other'])
      expect(ok(t.home, ['model', 'ls', '--db', target])).not.toContain('iris')
    })
  }

  it('imports the same file once the character is gone', () => {
    const out = join(t.home, 'x.jsonl')
    ok(t.home, ['export', '--out', out, '--db', t.db])
    ok(t.home, ['import', out, '--db', join(t.home, 'new.db')])
    expect(ok(t.home, ['show', 'e1', '--db', join(t.home, 'new.db')])).toContain('vision')
  })
})

describe('mldb ls / show of a stored U+0000', () => {
  it('prints it as ␀, never raw', () => {
    rawSql("UPDATE tags SET value = 'vi' || char(0) || 'sion' WHERE key = 'team'")
    rawSql("UPDATE experiments SET notes = 'first' || char(0) || 'try', host = 'h' || char(0) || 'x'")
    ok(t.home, ['log', 'e2', 'acc', '0.5', '--step', '0', '--create', '--db', t.db])
    rawSql("UPDATE experiments SET name = 'e' || char(0) || '2' WHERE name = 'e2'")
    const ls = ok(t.home, ['ls', '--columns', 'name,status', '--db', t.db])
    expect(ls).not.toContain('\u0000')
    expect(ls).toMatch(/^e␀2\s+\S+$/m)
    const show = ok(t.home, ['show', 'e1', '--db', t.db])
    expect(show).not.toContain('\u0000')
    expect(show).toMatch(/team\s+vi␀sion/)
    expect(show).toContain('first␀try')
    expect(show).toContain('host h␀x')
  })
})

describe('mldb import of a CSV export holding U+0000', () => {
  it('refuses it as the JSONL one, naming the line', () => {
    rawSql("UPDATE tags SET value = 'vi' || char(0) || 'sion' WHERE key = 'team'")
    const out = join(t.home, 'x.csv')
    ok(t.home, ['export', '--format', 'csv', '--out', out, '--db', t.db])
    const r = mldb(t.home, ['import', out, '--db', join(t.home, 'new.db')])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: .*x\.csv line \d+: experiment "e1": tag "team" contains U\+0000 \(NUL\).*remove it; nothing was imported\n$/)
  })
})

describe('mldb import of an export file holding a lone surrogate', () => {
  it('refuses it as a NUL, naming the line and the field', () => {
    const file = join(t.home, 'lone.jsonl')
    const exp = JSON.stringify({ record: 'experiment', experiment: 'e9', project: 'default', status: 'COMPLETE', notes: '' })
    // the `\udc00` escape as an old export file could hold it (half of an emoji)
    writeFileSync(file, `${exp}\n{"record":"tag","experiment":"e9","project":"default","key":"t","value":"a\\udc00"}\n`)
    const r = mldb(t.home, ['import', file, '--db', join(t.home, 'new.db')])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: .*lone\.jsonl line 2: experiment "e9": tag "t" contains a lone UTF-16 surrogate \(U\+DC00\).*; nothing was imported\n$/)
  })
})
