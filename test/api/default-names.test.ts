import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Database, expName } from '../../src/index.js'
import { REPO_ROOT } from '../concurrency/lib/child.js'
import { freshDatabasePerTest } from '../helpers/tmp.js'

interface Proc {
  lines: string[]
  send(line: string): void
  ready: Promise<void>
  done: Promise<{ code: number | null; stderr: string }>
}

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const proc = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: 'pipe' })
  const lines: string[] = []
  let stderr = ''
  let onReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    onReady = resolve
  })
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean))
    if (lines.includes('ready')) onReady()
  })
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    proc.on('close', (code) => {
      onReady() // a child that died before "ready" must not hang the test
      resolve({ code, stderr })
    })
  })
  return { lines, send: (line) => proc.stdin.end(`${line}\n`), ready, done }
}

describe('default experiment names', () => {
  const ctx = freshDatabasePerTest()

  it('are unique without help: four processes (two TypeScript, two Python) starting runs in the same second', async () => {
    const path = join(ctx.dir, 'm.db')
    const ts = () => start(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/api/children/start-run.ts'), path, 'sweep'])
    const pyEnv = { ...process.env, PYTHONPATH: join(REPO_ROOT, 'python') }
    const py = () => start('python3', [join(REPO_ROOT, 'test/api/children/start_run.py'), path, 'sweep'], pyEnv)
    const procs = [ts(), py(), ts(), py()]
    await Promise.all(procs.map((p) => p.ready))
    // A moment early in a second, so all four start their runs within it.
    let at = Date.now() + 300
    if (at % 1000 > 400) at = at - (at % 1000) + 1050
    for (const p of procs) p.send(String(at))
    const results = await Promise.all(procs.map((p) => p.done))
    for (const r of results) expect(r).toEqual({ code: 0, stderr: '' })
    const names = procs.map((p) => p.lines.find((l) => l.startsWith('name '))?.slice(5))
    const prefix = expName('run', new Date(at))
    expect(new Set(names).size).toBe(4)
    // the seed's prefix kept; the first to start takes it as is, the others a suffix
    expect([...names].sort()).toEqual([prefix, `${prefix}_2`, `${prefix}_3`, `${prefix}_4`])
    using db = new Database({ path })
    expect(db.listExperiments({ project: 'sweep' }).map((e) => e.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE'])
  }, 60_000)

  it('keeps a name the caller chose: a second run under it is refused', () => {
    const run = ctx.db.startRun({ handleExit: false })
    expect(run.name).toMatch(/^\d{8}_\d{6}_run(_\d+)?$/)
    const again = ctx.db.startRun({ handleExit: false })
    expect(again.name).not.toBe(run.name)
    expect(() => ctx.db.startRun({ name: run.name, handleExit: false })).toThrow(/already exists/)
    run.finish()
    again.finish()
  })
})
