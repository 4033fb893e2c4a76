import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
const db = ['--db', t.db]
afterAll(() => t.cleanup())
beforeAll(() => {
  buildCli()
  ok(t.home, ['log', 'exp', 'loss', '0.5', '--step', '0', '--split', 'valid', '--create', ...db])
})

/** A string as a literal part of a RegExp. */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Runs a command that must fail with one line on stderr, nothing on stdout, and the database unchanged. */
function fails(args: string[], status: number, line: RegExp, dbFile = t.db): void {
  const before = existsSync(dbFile) ? readFileSync(dbFile) : undefined
  const r = mldb(t.home, args)
  expect(r.stderr).toMatch(line)
  expect(r.stderr.split('\n')).toHaveLength(2) // one line and its newline
  expect(r.stderr).not.toMatch(/\n\s+at /)
  expect(r.stdout).toBe('')
  expect(r.status).toBe(status)
  if (before) expect(readFileSync(dbFile).equals(before)).toBe(true)
}

describe('failed operations exit 1 with one line', () => {
  it('unknown experiment', () => {
    fails(['show', 'nope', ...db], 1, /^mldb: no experiment named "nope" in .*; check the name with `mldb ls`$/m)
    fails(['compare', 'exp', 'nope', ...db], 1, /^mldb: no experiment named "nope"/)
  })
  it('unknown series', () => fails(['best', 'valid/acc', ...db], 1, /^mldb: no experiment has a series "valid\/acc"/))
  it('filter syntax error points at the column', () => {
    fails(['ls', '--where', 'params.lr < < 3', ...db], 1, /^mldb: expected a value .* at column 13 of filter: params\.lr < < 3$/m)
    fails(['export', '--where', 'bogus = 1', ...db], 1, /^mldb: unknown field "bogus".* at column 1 of filter: bogus = 1$/m)
  })
  it('a path that is not an SQLite database', () => {
    const notDb = join(t.home, 'notes.txt')
    writeFileSync(notDb, 'just some text, certainly not a database file')
    fails(['ls', '--db', notDb], 1, /^mldb: .*notes\.txt is not an SQLite database/, notDb)
    fails(['log', 'x', 'loss', '1', '--step', '0', '--db', notDb], 1, /is not an SQLite database/, notDb)
  })
  it('a database from a newer mldb', () => {
    const newer = join(t.home, 'newer.db')
    copyFileSync(t.db, newer)
    const s = new BetterSqlite3(newer)
    s.pragma('user_version = 99')
    s.close()
    // the newest version this build knows is the number of shipped migrations
    const known = readdirSync(join(import.meta.dirname, '../../migrations')).filter((f) => f.endsWith('.sql')).length
    fails(
      ['ls', '--db', newer],
      1,
      new RegExp(`^mldb: .*newer\\.db was written by a newer mldb \\(schema version 99, this one knows up to ${known}\\); upgrade mldb to open it$`, 'm'),
      newer,
    )
    fails(['status', 'x', 'COMPLETE', '--db', newer], 1, /written by a newer mldb/, newer)
  })
  it('an SQLite database that is not an mldb one', () => {
    const other = join(t.home, 'other-app.db')
    const s = new BetterSqlite3(other)
    s.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)')
    s.close()
    for (const cmd of [['ls'], ['export'], ['show', 'x'], ['best', 'loss']]) {
      fails([...cmd, '--db', other], 1, /^mldb: .*other-app\.db is an SQLite database but not an mldb one \(it has other tables\); pick another path$/m, other)
    }
    fails(['status', 'x', 'COMPLETE', '--db', other], 1, /other-app\.db is an SQLite database but not an mldb one/, other)
    const empty = join(t.home, 'empty.db')
    writeFileSync(empty, '')
    fails(['ls', '--db', empty], 1, /^mldb: .*empty\.db is an empty SQLite database, not yet an mldb one; log an experiment to it first/m, empty)
  })
  it('an export to a path that cannot be written names that path', () => {
    const missing = join(t.home, 'no', 'such', 'dir', 'x.jsonl')
    fails(['export', '--out', missing, ...db], 1, new RegExp(`^mldb: cannot write ${literal(missing)}: its folder does not exist$`, 'm'))
    fails(['export', '--out', t.home, ...db], 1, new RegExp(`^mldb: cannot write ${literal(t.home)}: it is a folder; give a file name$`, 'm'))
    const notDir = join(t.home, 'plain-file')
    writeFileSync(notDir, '')
    fails(['export', '--out', join(notDir, 'x.csv'), ...db], 1, /^mldb: cannot write .*plain-file\/x\.csv: a part of the path is not a folder$/m)
    expect(readdirSync(t.home).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
  it('a missing file to import', () => fails(['import', join(t.home, 'missing.jsonl'), ...db], 1, /^mldb: .*missing\.jsonl does not exist/))
  it('a broken import file writes nothing', () => {
    const bad = join(t.home, 'bad.jsonl')
    writeFileSync(
      bad,
      '{"record":"point","experiment":"new","series":"loss","step":0,"time":1,"value":1}\n{"record":"point","experiment":"new","series":"loss","step":-1.5,"time":1,"value":1}\n',
    )
    fails(['import', bad, ...db], 1, /^mldb: .*bad\.jsonl line 2: step -1\.5 is not an integer \(negative ones allowed\)$/m)
  })
  it('a missing file to record', () => fails(['file', 'exp', join(t.home, 'nope.bin'), ...db], 1, /^mldb: file .*nope\.bin does not exist/))
  it('reading a database that does not exist creates nothing', () => {
    const none = join(t.home, 'none.db')
    fails(['ls', '--db', none], 1, /^mldb: no database at .*none\.db \(from --db\)/)
    expect(existsSync(none)).toBe(false)
  })
})

describe('usage errors exit 2 with one line', () => {
  it('unknown option', () => fails(['ls', '--bogus', ...db], 2, /^mldb: unknown option '--bogus'$/m))
  it('unknown command', () => fails(['lss', ...db], 2, /^mldb: unknown command 'lss'/))
  it('missing argument', () => fails(['show', ...db], 2, /^mldb: missing required argument 'experiment'$/m))
  it('missing --step', () => fails(['log', 'exp', 'loss', '1', ...db], 2, /^mldb: required option '--step <n>' not specified$/m))
  it('bad number', () => {
    fails(['log', 'exp', 'loss', 'abc', '--step', '1', ...db], 2, /^mldb: value "abc" is not a number/)
    fails(
      ['log', 'exp', 'loss', '1', '--step', '1.5', ...db],
      2,
      /^mldb: option '--step <n>' argument '1\.5' is invalid\. expected an integer \(negative steps allowed\)\.$/m,
    )
    fails(['ls', '--limit', 'ten', ...db], 2, /^mldb: option '-n, --limit <n>' argument 'ten' is invalid/)
  })
  it('bad key=value', () => fails(['param', 'exp', 'lr', ...db], 2, /^mldb: expected key=value, got "lr"$/m))
  it('one key with two values in param or tag', () => {
    fails(['param', 'exp', 'lr=0.1', 'lr=0.2', ...db], 2, /^mldb: "lr" is given twice with different values \(lr=0\.1 and lr=0\.2\); give it once$/m)
    fails(['tag', 'exp', 'team=a', 'x=1', 'team=b', ...db], 2, /^mldb: "team" is given twice with different values \(team=a and team=b\)/)
    // the same pair twice is harmless
    ok(t.home, ['tag', 'exp', 'team=a', 'team=a', ...db])
    expect(JSON.parse(ok(t.home, ['show', 'exp', '--json', ...db])).tags).toEqual({ team: 'a' })
  })
  it('bad --kind and --format', () => {
    writeFileSync(join(t.home, 'f.bin'), 'x')
    fails(['file', 'exp', join(t.home, 'f.bin'), '--kind', 'weights', ...db], 2, /^mldb: --kind must be one of model, checkpoint/)
    fails(['export', '--format', 'xml', ...db], 2, /^mldb: --format must be csv or jsonl/)
  })
})

describe('help and colour', () => {
  it('--help exits 0 and lists every command', () => {
    const r = mldb(t.home, ['--help'])
    expect(r.status).toBe(0)
    for (const c of [
      'ls',
      'show',
      'best',
      'compare',
      'status',
      'log',
      'param',
      'tag',
      'file',
      'sql',
      'export',
      'import',
      'rm',
      'restore',
      'doctor',
      'init',
      'config',
      'ui',
    ])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'))
  })
})
