// A new user's mistakes and Ctrl-C: each gives one line on stderr, a non-zero
// exit, and leaves no trial running or half file behind.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { buildCli, mldb, ok, tempHome } from './helpers.js'

const h = tempHome()
afterAll(() => h.cleanup())
const env = { MLDB_DB_PATH: h.db }
const waiter = join(import.meta.dirname, 'children', 'wait-forever.mjs')

function sweepFile(name: string, body: string): string {
  const file = join(h.home, `${name}.yaml`)
  writeFileSync(file, `metric: {name: loss, goal: minimize}\n${body}`)
  return file
}

/** Starts `mldb args` in its own process group, sends SIGINT to the group (as Ctrl-C does) once `ready` says so, and resolves with how it ended. */
function interrupt(args: string[], ready: (stdout: string) => boolean): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [buildCli(), ...args], { env: { PATH: process.env.PATH ?? '', HOME: h.home, ...env }, detached: true })
    let stdout = ''
    let stderr = ''
    let sent = false
    const check = () => {
      if (!sent && ready(stdout)) {
        sent = true
        process.kill(-(child.pid as number), 'SIGINT')
      }
    }
    child.stdout.on('data', (d) => {
      stdout += d
      check()
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const poll = setInterval(check, 20)
    child.on('close', (status) => {
      clearInterval(poll)
      resolve({ status, stdout, stderr })
    })
  })
}

describe('mldb as a new user tries it', () => {
  it('no command, a group without its subcommand, or help for an unknown command exits 2, not 0', () => {
    for (const args of [[], ['model'], ['sweep'], ['help', 'nosuch']]) {
      const r = mldb(h.home, args)
      expect(r.status, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(/Usage: mldb/)
    }
    expect(mldb(h.home, ['help', 'ls']).status).toBe(0)
  })

  it('sql with two statements says to run one at a time, exit 2', () => {
    ok(h.home, ['status', 'e1', 'COMPLETE'], { env })
    const r = mldb(h.home, ['sql', 'select 1; select 2'], { env })
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('mldb: sql runs one statement; run `mldb sql` once for each\n')
  })

  it('a bad number for sync --timeout or server --max-artifact-bytes is a usage error (exit 2) like --port abc; --help shows the default once', () => {
    let r = mldb(h.home, ['sync', '--timeout', 'abc', '--server', 'http://127.0.0.1:9'], { env })
    expect([r.status, r.stderr]).toEqual([2, 'mldb: --timeout takes a number of seconds, got "abc"\n'])
    r = mldb(h.home, ['server', '--max-artifact-bytes', '-1'], { env })
    expect([r.status, r.stderr]).toEqual([2, 'mldb: --max-artifact-bytes takes a whole number of bytes, got "-1"\n'])
    expect(ok(h.home, ['sync', '--help']).replace(/\s+/g, ' ')).toMatch(/for this long \(default: 60\) --json/)
  })

  it('sweep create: a missing file, a folder, and a name taken are named in words a CLI user acts on', () => {
    let r = mldb(h.home, ['sweep', 'create', join(h.home, 'nosuch.yaml')], { env })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: no sweep file .*nosuch\.yaml; give the path of your sweep\.yaml\n$/)
    r = mldb(h.home, ['sweep', 'create', h.home], { env })
    expect(r.stderr).toMatch(/is a folder; give the path of your sweep\.yaml\n$/)
    const file = sweepFile('taken', 'method: random\nprogram: x.py\nparameters:\n  lr: {min: 0.1, max: 1}\n')
    ok(h.home, ['sweep', 'create', file], { env })
    r = mldb(h.home, ['sweep', 'create', file], { env })
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      'mldb: a sweep named "taken" already exists; run more of its trials with `mldb sweep agent taken`, or give another name with --name\n',
    )
  })

  it('sweep create --name "" or --project "" is refused with exit 2, not replaced by the file\'s name or the default project', () => {
    const file = sweepFile('named', 'method: random\nprogram: x.py\nparameters:\n  lr: {min: 0.1, max: 1}\n')
    let r = mldb(h.home, ['sweep', 'create', file, '--name', ''], { env })
    expect([r.status, r.stderr]).toEqual([2, "mldb: --name is empty; give one, or leave --name out to use the config's\n"])
    r = mldb(h.home, ['sweep', 'create', file, '--project', ''], { env })
    expect([r.status, r.stderr]).toEqual([2, "mldb: --project is empty; give one, or leave --project out to use the config's\n"])
    expect(mldb(h.home, ['sweep', 'show', 'named'], { env }).status).toBe(1)
  })

  it('sweep agent with a program that is not there refuses before taking a trial: exit 1, the grid point kept', () => {
    ok(h.home, ['sweep', 'create', sweepFile('grid', 'method: grid\nprogram: nosuch.py\nparameters:\n  lr: {values: [1, 2]}\n')], { env })
    let r = mldb(h.home, ['sweep', 'agent', 'grid'], { env })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(
      /^mldb: the program nosuch\.py of sweep "grid" does not exist in .*; run the agent from the folder that holds it, or give the command after --\n$/,
    )
    r = mldb(h.home, ['sweep', 'agent', 'grid', '--', join(h.home, 'no-such-bin')], { env })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^mldb: cannot run .*no-such-bin: no executable file there; check the program or the command after --\n$/)
    r = mldb(h.home, ['sweep', 'agent', 'grid', '--', 'no-such-command-mldb'], { env })
    expect(r.stderr).toBe('mldb: cannot run no-such-command-mldb: not found on PATH; check the program or the command after --\n')
    // nothing was claimed: both grid points still run once the command is right
    expect(ok(h.home, ['sweep', 'agent', 'grid', '--', 'true'], { env })).toMatch(/sweep grid: 2 trials/)
    using db = new Database({ path: h.db })
    expect(
      db
        .getSweep('grid')
        .trials()
        .map((t) => t.status),
    ).toEqual(['COMPLETE', 'COMPLETE'])
  })

  it('Ctrl-C during sweep agent ends the running trial KILLED, says so in one line and exits 130', async () => {
    ok(h.home, ['sweep', 'create', sweepFile('ctrlc', 'method: random\nparameters:\n  lr: {min: 0.1, max: 1}\n')], { env })
    const r = await interrupt(['sweep', 'agent', 'ctrlc', '--', process.execPath, waiter], (out) => out.includes('ready'))
    expect(r.status).toBe(130)
    expect(r.stderr).toBe('mldb: sweep agent stopped by SIGINT after trial 0 (ctrlc-0, KILLED); `mldb sweep agent ctrlc` goes on with the next trial\n')
    using db = new Database({ path: h.db })
    const trials = db.getSweep('ctrlc').trials()
    expect(trials.map((t) => t.status)).toEqual(['KILLED'])
    expect(db.getSweep('ctrlc').summary().running).toBe(0)
  })

  it('Ctrl-C during export --out leaves neither the file nor its temporary, and exits 130', async () => {
    const path = join(h.home, 'big.db')
    {
      using db = new Database({ path })
      const points = Array.from({ length: 100_000 }, (_, i) => ({ name: 'loss', step: i, value: i / 7 }))
      for (let e = 0; e < 8; e++) db.logBatch(`e${e}`, points)
    }
    const out = join(h.home, 'out.jsonl')
    const tmpExists = () => readdirSync(h.home).some((f) => f.startsWith('out.jsonl.') && f.endsWith('.tmp'))
    const r = await interrupt(['export', '--db', path, '--out', out], tmpExists)
    expect(r.status).toBe(130)
    expect(r.stderr).toBe(`mldb: export stopped by SIGINT; ${out} was not written\n`)
    expect(existsSync(out)).toBe(false)
    expect(tmpExists()).toBe(false)
  })
})
