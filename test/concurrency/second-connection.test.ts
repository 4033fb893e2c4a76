// A process that opens a second connection to its file (the sync sender does, and so
// does a script with two Database objects) must keep its SQLite locks. Reading the
// file's header with open()/close() dropped them (POSIX locks belong to the process,
// and any close releases them all), so another process closing the file took itself
// for the last one and deleted the -wal under the first: later values were lost.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { pythonEnv } from '../python-interop/lib/python.js'
import { REPO_ROOT } from './lib/child.js'

const dir = mkdtempSync(join(tmpdir(), 'mldb-second-'))
const procs: ChildProcessWithoutNullStreams[] = []
afterAll(() => {
  for (const p of procs) p.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

function start(lang: 'ts' | 'py', path: string, exp: string) {
  const script = join(REPO_ROOT, 'test', 'concurrency', 'children', `second-connection.${lang}`)
  const proc =
    lang === 'ts'
      ? spawn(process.execPath, ['--import', 'tsx', script, path, exp], { cwd: REPO_ROOT, stdio: 'pipe' })
      : spawn('python3', [script, path, exp], { cwd: REPO_ROOT, env: pythonEnv(), stdio: 'pipe' })
  procs.push(proc)
  let out = ''
  let err = ''
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString()
  })
  proc.stderr.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const until = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const tick = setInterval(() => {
        if (out.includes(word)) {
          clearInterval(tick)
          resolve()
        } else if (proc.exitCode !== null) {
          clearInterval(tick)
          reject(new Error(`writer exited: ${err}`))
        }
      }, 10)
    })
  return { proc, until, out: () => out, err: () => err }
}

describe('a second connection in the same process', () => {
  it.each(['ts', 'py'] as const)('keeps the first one safe from another process closing the file (%s)', async (lang) => {
    const path = join(dir, `${lang}.db`)
    const w = start(lang, path, 'writer')
    await w.until('opened')
    // Another process (this one) writes and closes while the writer holds the file open.
    const other = new Database({ path })
    other.addMetricValue('other', 'y', 0, 1)
    other.close()
    w.proc.stdin.write('go\n')
    await w.until('done')
    const returned = w
      .out()
      .split('\n')
      .filter((l) => l.startsWith('step '))
      .map((l) => Number(l.slice(5)))
    expect(returned).toHaveLength(50)
    // Killed without a close: only what reached the -wal (or the file) counts.
    const gone = new Promise((r) => w.proc.once('exit', r))
    w.proc.kill('SIGKILL')
    await gone
    expect(w.err()).toBe('')
    using db = new Database({ path })
    const steps = db.getMetricValues('writer', 'x').map((p) => p.step)
    expect(steps).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(db.getMetricValues('other', 'y')).toHaveLength(1)
  })
})
