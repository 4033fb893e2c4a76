import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const t = tempHome()
const README = join(import.meta.dirname, '..', '..', 'README.md')
afterAll(() => t.cleanup())
beforeAll(() => {
  buildCli()
})

/** Two finished experiments, each with a recorded model file (written through the API: fast); returns --db args. */
function trainedDb(name: string): string[] {
  const path = join(t.home, `${name}.db`)
  using db = new Database({ path })
  for (const [exp, losses] of [
    ['run-a', [0.9, 0.4]],
    ['run-b', [0.8, 0.2]],
  ] as const) {
    db.setParams(exp, { lr: 0.01 })
    for (const [i, l] of losses.entries()) db.addLossValue(exp, 'valid', i, l)
    const file = join(t.home, `${name}-${exp}.json`)
    writeFileSync(file, `weights of ${exp}`)
    db.addFile(exp, file, { kind: 'model' })
    db.setExpStatus(exp, 'COMPLETE')
  }
  return ['--db', path]
}

/** Runs a shell line with a real `mldb` on PATH. */
function shell(line: string, env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const bin = join(t.home, 'bin')
  mkdirSync(bin, { recursive: true })
  const wrapper = join(bin, 'mldb')
  writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${buildCli()}" "$@"\n`)
  chmodSync(wrapper, 0o755)
  const r = spawnSync('sh', ['-c', line], { env: { PATH: `${bin}:${process.env.PATH}`, HOME: t.home, ...env }, encoding: 'utf8', cwd: t.home })
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

describe('mldb model', () => {
  it('registers, aliases, shows, lists and keeps the history', () => {
    const db = trainedDb('flow')
    expect(ok(t.home, ['model', 'register', 'iris', 'run-a', 'flow-run-a.json', '--alias', 'staging', ...db])).toContain('registered iris/1 from run-a')
    expect(ok(t.home, ['model', 'register', 'iris', '--best', 'valid/loss', '--where', "status = 'COMPLETE'", ...db])).toContain('registered iris/2 from run-b')
    ok(t.home, ['model', 'alias', 'iris', 'champion', '1', ...db])
    ok(t.home, ['model', 'alias', 'iris', 'champion', '2', ...db])
    ok(t.home, ['model', 'alias', 'iris', 'staging', '--delete', ...db])
    const ls = ok(t.home, ['model', 'ls', ...db])
    expect(ls).toMatch(/iris\s+2\s+2\s+@champion=2/)
    const v = JSON.parse(ok(t.home, ['model', 'show', 'iris@champion', '--json', ...db]))
    expect(v).toMatchObject({ name: 'iris', version: 2, exp: 'run-b', aliases: ['champion'], params: { lr: 0.01 } })
    expect(v.metrics['valid/loss']).toMatchObject({ min: 0.2, last: 0.2, count: 2 })
    expect(ok(t.home, ['model', 'show', 'iris/1', ...db])).toContain('experiment  run-a')
    expect(ok(t.home, ['model', 'show', 'iris', ...db])).toMatch(/2\s+@champion\s+run-b/)
    const history = JSON.parse(ok(t.home, ['model', 'history', 'iris', '--json', ...db])) as { alias: string; from: number | null; to: number | null }[]
    expect(history.map((h) => [h.alias, h.from, h.to])).toEqual([
      ['staging', null, 1],
      ['champion', null, 1],
      ['champion', 1, 2],
      ['staging', 1, null],
    ])
  })

  it('model path prints only the path, for $(mldb model path ...) in a shell', () => {
    const db = trainedDb('path')
    ok(t.home, ['model', 'register', 'iris', 'run-b', '--alias', 'champion', ...db])
    const dbArg = `--db '${db[1]}'`
    const good = shell(`set -e; p=$(mldb model path iris@champion ${dbArg}); cat "$p"; echo; echo "[$p]"`)
    expect(good).toMatchObject({ status: 0, stderr: '' })
    expect(good.stdout).toBe(`weights of run-b\n[${join(t.home, 'path-run-b.json')}]\n`)

    writeFileSync(join(t.home, 'path-run-b.json'), 'weights of run-x') // same size, other bytes
    const changed = shell(`set -e; p=$(mldb model path iris@champion ${dbArg}); echo "serving $p"`)
    expect(changed.status).toBe(1)
    expect(changed.stdout).toBe('')
    expect(changed.stderr).toMatch(/^mldb: iris\/1: .*path-run-b\.json changed since it was registered \(sha256 differs\); see `mldb model verify iris`\n$/)
    const verify = mldb(t.home, ['model', 'verify', ...db])
    expect(verify.status).toBe(1)
    expect(verify.stdout).toMatch(/iris\/1\s+CHANGED/)

    rmSync(join(t.home, 'path-run-b.json'))
    const missing = shell(`set -e; p=$(mldb model path iris@champion ${dbArg}); echo "serving $p"`)
    expect([missing.status, missing.stdout]).toEqual([1, ''])
    expect(missing.stderr).toMatch(/^mldb: iris\/1: .* is missing; .*\n$/)
    const unknown = shell(`p=$(mldb model path iris@staging ${dbArg}) || echo "exit $?"`)
    expect(unknown.stdout).toBe('exit 1\n')
    expect(unknown.stderr).toBe('mldb: model "iris" has no alias "staging"; see its aliases with `mldb model show iris`\n')
  })

  it('refuses bad input with one line, exit status 1 (2 for usage), and writes nothing', () => {
    const db = trainedDb('bad')
    ok(t.home, ['model', 'register', 'iris', 'run-a', ...db])
    const cases: [string[], number, RegExp][] = [
      [['model', 'register', 'iris', 'run-a', 'nope.json'], 1, /^mldb: experiment "run-a" has no recorded file "nope.json"; record it first/],
      [['model', 'register', 'my model', 'run-a'], 1, /^mldb: model name "my model" may hold only letters/],
      [['model', 'register', 'x'.repeat(200), 'run-a'], 1, /the limit is 128/],
      [['model', 'register', 'iris', 'run-a', '--alias', '42'], 1, /^mldb: alias "42" is a number/],
      [['model', 'register', 'iris', 'ghost'], 1, /^mldb: no experiment named "ghost"/],
      [['model', 'register', 'iris'], 2, /^mldb: give an experiment/],
      [['model', 'alias', 'iris', 'champion', '9'], 1, /^mldb: model "iris" has no version 9/],
      [['model', 'alias', 'iris', 'champion'], 2, /^mldb: give either VERSION or --delete/],
      [['model', 'alias', 'nope', 'champion', '1'], 1, /^mldb: no registered model named "nope"/],
      [['model', 'show', 'nope'], 1, /^mldb: no registered model named "nope"/],
      [['model', 'history', 'nope'], 1, /^mldb: no registered model named "nope"/],
    ]
    for (const [args, status, message] of cases) {
      const r = mldb(t.home, [...args, ...db])
      expect([args, r.status]).toEqual([args, status])
      expect(r.stderr).toMatch(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(JSON.parse(ok(t.home, ['model', 'ls', '--json', ...db]))).toMatchObject([{ name: 'iris', versionCount: 1, aliases: {} }])
    expect(JSON.parse(ok(t.home, ['model', 'history', 'iris', '--json', ...db]))).toEqual([])
  })
  it('runs the README’s five-line flow as written (serve.py replaced by cat)', () => {
    const block = /### Model registry[\s\S]*?```sh\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'))?.[1] ?? ''
    const lines = block.trim().split('\n')
    expect(lines).toHaveLength(5)
    const work = join(t.home, 'readme')
    mkdirSync(join(work, 'out'), { recursive: true })
    const dbPath = join(work, 'readme.db')
    {
      using db = new Database({ path: dbPath })
      for (const [i, l] of [0.5, 0.3].entries()) db.addLossValue('run-17', 'valid', i, l)
      db.setExpStatus('run-17', 'COMPLETE')
    }
    writeFileSync(join(work, 'out', 'model.pt'), 'the weights')
    const script = `set -e; cd '${work}'; ${lines.map((l) => l.replace('python serve.py', 'cat')).join('\n')}`
    const r = shell(script, { MLDB_DB_PATH: dbPath })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout.endsWith('the weights')).toBe(true)
  })
  it('never deletes a registered version’s file when its experiment is purged with --delete-files', () => {
    const db = trainedDb('purge')
    ok(t.home, ['model', 'register', 'iris', 'run-a', '--alias', 'champion', ...db])
    ok(t.home, ['rm', 'run-a', ...db])
    const out = ok(t.home, ['rm', '--purge', '--yes', '--delete-files', 'run-a', ...db])
    expect(out).toContain('model version iris/1 is registered with it')
    expect(ok(t.home, ['model', 'path', 'iris@champion', ...db]).trim()).toBe(join(t.home, 'purge-run-a.json'))
    const show = JSON.parse(ok(t.home, ['model', 'show', 'iris/1', '--json', ...db]))
    expect(show).toMatchObject({ exp: 'run-a', expExists: false, params: { lr: 0.01 } })
  })
})
