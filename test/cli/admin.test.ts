import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
afterAll(() => t.cleanup())
beforeAll(() => {
  buildCli()
})

const names = (home: string, args: string[]) =>
  ok(home, ['ls', '--columns', 'name', ...args])
    .trim()
    .split('\n')
    .slice(1)

describe('mldb rm and restore', () => {
  it('trashes, restores, and purges only with confirmation', () => {
    const db = ['--db', join(t.home, 'rm.db')]
    for (const n of ['a', 'b', 'c']) ok(t.home, ['status', n, 'COMPLETE', ...db])
    writeFileSync(join(t.home, 'c.bin'), 'c')
    ok(t.home, ['file', 'c', join(t.home, 'c.bin'), '--kind', 'model', ...db])
    expect(ok(t.home, ['rm', 'a', 'b', ...db])).toContain('moved 2 experiments to the trash')
    expect(names(t.home, db)).toEqual(['c'])
    expect(names(t.home, ['--trash', ...db]).sort()).toEqual(['a', 'b'])
    ok(t.home, ['restore', 'a', ...db])
    expect(names(t.home, db).sort()).toEqual(['a', 'c'])
    // not at a terminal: purging needs --yes
    const refused = mldb(t.home, ['rm', '--purge', 'c', ...db])
    expect([refused.status, refused.stderr]).toEqual([1, 'mldb: --purge deletes for good; add --yes to confirm when not at a terminal\n'])
    expect(names(t.home, db).sort()).toEqual(['a', 'c'])
    ok(t.home, ['rm', '--purge', '--yes', 'b', 'c', ...db])
    expect(names(t.home, ['--trash', ...db])).toEqual([])
    expect(existsSync(join(t.home, 'c.bin'))).toBe(true) // files stay without --delete-files
    ok(t.home, ['status', 'd', 'COMPLETE', ...db])
    ok(t.home, ['file', 'd', join(t.home, 'c.bin'), ...db])
    expect(ok(t.home, ['rm', '--purge', '--yes', '--delete-files', 'd', ...db])).toContain('and 1 file')
    expect(existsSync(join(t.home, 'c.bin'))).toBe(false)
  })

  it('touches nothing when one name is unknown', () => {
    const db = ['--db', join(t.home, 'rm2.db')]
    ok(t.home, ['status', 'keep', 'COMPLETE', ...db])
    const r = mldb(t.home, ['rm', 'keep', 'nope', ...db])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: no experiment named "nope" in .*; check the name with `mldb ls`\n$/)
    expect(names(t.home, db)).toEqual(['keep'])
    expect(mldb(t.home, ['rm', '--delete-files', 'keep', ...db]).status).toBe(2)
    expect(mldb(t.home, ['restore', 'keep', ...db]).status).toBe(1)
  })
})

describe('mldb rm --purge --delete-files with shared files', () => {
  it('keeps a file another experiment, live or trashed, still points to, and says so', () => {
    const db = ['--db', join(t.home, 'shared.db')]
    const file = (n: string) => join(t.home, `${n}.bin`)
    for (const f of ['both', 'trashed', 'pair', 'own']) writeFileSync(file(f), f)
    for (const n of ['a', 'b', 'c', 'd']) ok(t.home, ['status', n, 'COMPLETE', ...db])
    ok(t.home, ['file', 'a', file('both'), ...db])
    ok(t.home, ['file', 'b', file('both'), ...db]) // b is live
    ok(t.home, ['file', 'a', file('trashed'), ...db])
    ok(t.home, ['file', 'c', file('trashed'), ...db])
    ok(t.home, ['rm', 'c', ...db]) // c is in the trash and may come back
    ok(t.home, ['file', 'a', file('pair'), ...db])
    ok(t.home, ['file', 'd', file('pair'), ...db]) // d is purged with a
    ok(t.home, ['file', 'a', file('own'), ...db])
    const r = mldb(t.home, ['rm', 'a', 'd', '--purge', '--delete-files', '--yes', ...db])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`kept ${file('both')}: experiment "b" still points to it\n`)
    expect(r.stdout).toContain(`kept ${file('trashed')}: experiment "c" (in the trash) still points to it\n`)
    expect(r.stdout).toContain('deleted 2 experiments and 2 files')
    expect([file('both'), file('trashed'), file('pair'), file('own')].map((f) => existsSync(f))).toEqual([true, true, false, false])
    expect(JSON.parse(ok(t.home, ['show', 'b', '--json', ...db])).files.map((f: { path: string }) => f.path)).toEqual([file('both')])
  })
})

describe('mldb rm and restore with a name given twice', () => {
  it('acts on it once', () => {
    const db = ['--db', join(t.home, 'twice.db')]
    for (const n of ['x', 'y']) ok(t.home, ['status', n, 'COMPLETE', ...db])
    expect(ok(t.home, ['rm', 'x', 'x', ...db])).toContain('moved 1 experiment to the trash')
    expect(names(t.home, ['--trash', ...db])).toEqual(['x'])
    expect(ok(t.home, ['restore', 'x', 'x', ...db])).toContain('restored 1 experiment')
    expect(names(t.home, ['--trash', ...db])).toEqual([])
    expect(ok(t.home, ['rm', 'y', 'y', '--purge', '--yes', ...db])).toContain('deleted 1 experiment')
    expect(names(t.home, db)).toEqual(['x'])
  })
})

describe('mldb init and config', () => {
  it('writes the config file, refuses to overwrite without --force, and config says why', () => {
    const h = tempHome()
    try {
      const dbPath = join(h.home, 'data', 'my.db')
      expect(JSON.parse(ok(h.home, ['config', '--json'])).source).toBe('default')
      expect(ok(h.home, ['init', '--db', dbPath])).toContain(dbPath)
      expect(JSON.parse(readFileSync(join(h.home, '.mldb_config.json'), 'utf8'))).toEqual({ db_path: dbPath })
      expect(existsSync(dbPath)).toBe(true)
      expect(JSON.parse(ok(h.home, ['config', '--json']))).toMatchObject({ path: dbPath, source: 'config-file', exists: true })
      expect(ok(h.home, ['config'])).toMatch(/because\s+from the config file/)
      const again = mldb(h.home, ['init', '--db', join(h.home, 'other.db')])
      expect(again.status).toBe(1)
      expect(again.stderr).toMatch(/\.mldb_config\.json exists; add --force to overwrite it\n$/)
      expect(JSON.parse(readFileSync(join(h.home, '.mldb_config.json'), 'utf8'))).toEqual({ db_path: dbPath })
      ok(h.home, ['init', '--force', '--db', join(h.home, 'other.db')])
      expect(JSON.parse(ok(h.home, ['config', '--json'])).path).toBe(join(h.home, 'other.db'))
      expect(JSON.parse(ok(h.home, ['config', '--json'], { env: { MLDB_DB_PATH: join(h.home, 'env.db') } })).source).toBe('env')
      expect(JSON.parse(ok(h.home, ['config', '--json', '--db', 'x.db'], { env: { MLDB_DB_PATH: join(h.home, 'env.db') } })).source).toBe('option')
    } finally {
      h.cleanup()
    }
  })
})

describe('mldb doctor', () => {
  it('reports missing files, LOST experiments and bad summaries; --fix rebuilds summaries', () => {
    const file = join(t.home, 'doc.db')
    const db = ['--db', file]
    const points = Array.from({ length: 150 }, (_, i) =>
      JSON.stringify({ record: 'point', experiment: 'e1', series: 'loss', step: i, time: 1000 + i, value: 1 / (i + 1) }),
    )
    writeFileSync(join(t.home, 'points.jsonl'), `${points.join('\n')}\n`)
    ok(t.home, ['import', join(t.home, 'points.jsonl'), ...db])
    writeFileSync(join(t.home, 'gone.bin'), 'x')
    ok(t.home, ['file', 'e1', join(t.home, 'gone.bin'), ...db])
    ok(t.home, ['status', 'e1', 'COMPLETE', ...db])
    expect(ok(t.home, ['doctor', ...db])).toMatch(/ok\s+series summaries agree/)
    const s = new BetterSqlite3(file)
    s.prepare("UPDATE series SET count = 3, min_value = 99, blocked_until = NULL WHERE name = 'loss'").run()
    s.prepare("UPDATE experiments SET status = 'TRAINING', heartbeat_at = 0, updated_at = 0").run()
    s.close()
    writeFileSync(join(t.home, 'gone.bin'), '')
    statSync(join(t.home, 'gone.bin'))
    const before = readFileSync(file)
    const r = mldb(t.home, ['doctor', '--json', ...db])
    expect(r.status).toBe(1)
    expect(readFileSync(file).equals(before)).toBe(true) // a check writes nothing
    const report = JSON.parse(r.stdout)
    expect(report.ok).toBe(false)
    expect(report.lost.map((e: { name: string }) => e.name)).toEqual(['e1'])
    expect(report.files[0].problem).toBe('changed')
    expect(report.series[0].problems).toContain('count is 3 but the points say 150')
    const fix = mldb(t.home, ['doctor', '--fix', ...db])
    expect(fix.stdout).toContain('rebuilt 1 series summary')
    expect(fix.stdout).toMatch(/ok\s+series summaries agree/)
    expect(fix.stdout).toMatch(/warn LOST e1/)
    expect(fix.stdout).toMatch(/bad\s+changed file .*gone\.bin/)
    expect(fix.status).toBe(1) // the changed file is still there to see
    const show = JSON.parse(ok(t.home, ['show', 'e1', '--json', ...db]))
    expect(show.series.loss).toMatchObject({ count: 150, min: 1 / 150, max: 1 })
  })
})

describe('mldb ui', () => {
  it('has its options', () => {
    const out = ok(t.home, ['ui', '--help'])
    for (const o of ['--port', '--host', '--token', '--open', '--db']) expect(out).toContain(o)
  })

  it('refuses a bad port (usage, exit 2) and another host with --no-token (exit 1)', () => {
    const port = mldb(t.home, ['ui', '--port', '99999', '--db', t.db])
    expect(port.status).toBe(2)
    expect(port.stderr).toMatch(/port from 0 to 65535/)
    const host = mldb(t.home, ['ui', '--host', '0.0.0.0', '--port', '0', '--no-token', '--db', t.db])
    expect(host.status).toBe(1)
    expect(host.stderr.trim().split('\n')).toEqual(['mldb: --no-token serves 0.0.0.0 to anyone who can reach it; it is allowed on 127.0.0.1/localhost only'])
  })

  it('serves the database it is given until stopped', async () => {
    ok(t.home, ['status', 'served', 'COMPLETE', '--db', t.db])
    const child = spawn(process.execPath, [buildCli(), 'ui', '--port', '0', '--db', t.db], { env: { PATH: process.env.PATH ?? '', HOME: t.home } })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = ''
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString()
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)\?token=(\w+)/.exec(text)
          if (m) resolve(`${m[1]}api/experiments?token=${m[2]}`)
        })
        child.on('exit', (code) => reject(new Error(`mldb ui exited with ${code}`)))
      })
      const body = (await (await fetch(url)).json()) as { experiments: { name: string }[] }
      expect(body.experiments.map((e) => e.name)).toEqual(['served'])
    } finally {
      child.kill('SIGTERM')
    }
  })
})
