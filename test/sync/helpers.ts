// Machines for the sync tests: each is a HOME of its own with its own local file;
// the team server is a real `mldb server` process that can be killed and restarted
// on the same port; writers are real Node (or Python) processes.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { buildCli, mldb, type RunResult } from '../cli/helpers.js'

const ROOT = resolve(import.meta.dirname, '../..')
export const children: ChildProcess[] = []

/** Kills every process a test started (afterEach). */
export function killAll(): void {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
}

/** A machine: its HOME and its local database file. */
export function machine(root: string, name: string): { home: string; db: string } {
  const home = join(root, name)
  return { home, db: join(home, '.mldb', 'mldb.db') }
}

/** A running `mldb server`. */
export interface TeamServer {
  url: string
  port: number
  db: string
  token: string
  kill(): Promise<void>
  restart(): Promise<void>
}

function launch(args: string[], home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [buildCli(), 'server', ...args], { env: { PATH: process.env.PATH ?? '', HOME: home }, stdio: 'pipe' })
  children.push(child)
  return new Promise((res, rej) => {
    let text = ''
    const onData = (d: Buffer) => {
      text += d.toString()
      const m = text.match(/mldb server on (http:\/\/\S+?\/)/)
      if (m && text.includes('Ctrl-C stops it')) res({ child, url: m[1] as string })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => rej(new Error(`mldb server exited ${code}: ${text}`)))
  })
}

/** Starts `mldb server --db <file>` with a lasting token made by `mldb token create`. */
export async function startTeamServer(root: string, db = join(root, 'server', 'team.db')): Promise<TeamServer> {
  const home = join(root, 'server')
  const made = mldb(home, ['token', 'create', 'trainer', '--db', db])
  if (made.status !== 0) throw new Error(made.stderr)
  const token = made.stdout.trim()
  const art = join(root, 'server', 'artifacts')
  let { child, url } = await launch(['--port', '0', '--db', db, '--artifacts', art, '--no-token'], home)
  const port = Number(new URL(url).port)
  const server: TeamServer = {
    url,
    port,
    db,
    token,
    async kill() {
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await gone
    },
    async restart() {
      // the port may linger for a moment after a kill
      for (let i = 0; ; i++) {
        try {
          child = (await launch(['--port', String(port), '--db', db, '--artifacts', art, '--no-token'], home)).child
          return
        } catch (e) {
          if (i > 40) throw e
          await new Promise((r) => setTimeout(r, 250))
        }
      }
    },
  }
  return server
}

/** GET a JSON route of the server. */
export async function getJson(s: TeamServer, path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const get = () => fetch(new URL(path, s.url), { headers: { authorization: `Bearer ${s.token}` } })
  // A kept-alive socket the server closes as fetch reuses it fails with "other side closed"
  // (UND_ERR_SOCKET) on a loaded machine; a GET is safe to ask again once.
  const res = await get().catch((e: Error & { cause?: { code?: string } }) => {
    if (e.cause?.code !== 'UND_ERR_SOCKET') throw e
    return get()
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/** Every point of a series on the server (one request: the tests log fewer than 1,000,000). */
export async function serverPoints(s: TeamServer, exp: string, series: string): Promise<{ step: number; value: number | string }[]> {
  const r = await getJson(s, `/api/experiments/${encodeURIComponent(exp)}/points?series=${encodeURIComponent(series)}&limit=1000000`)
  if (r.status !== 200) throw new Error(`points of ${exp}: ${r.status} ${JSON.stringify(r.json)}`)
  return (r.json.points as [number, number, number | string][]).map(([step, , value]) => ({ step, value }))
}

/** The writer script: logs `points` values into one experiment per process, then closes (its close waits for the sender). */
export function writerScript(dir: string): string {
  const index = join(dirname(dirname(buildCli())), 'index.js')
  const file = join(dir, 'writer.mjs')
  writeFileSync(
    file,
    `import { Database } from ${JSON.stringify(index)}
const [name, n, every, hold] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 0), process.argv[5] === 'hold']
const db = new Database()
db.setExpStatus(name, 'TRAINING')
db.setParams(name, { lr: 0.01, name })
for (let i = 0; i < n; i++) {
  db.addMetricValue(name, 'acc', i, i % 97 === 0 ? NaN : i / n)
  if (every && i % every === every - 1) await new Promise((r) => setTimeout(r, 2))
}
db.setExpStatus(name, 'COMPLETE')
console.log('logged')
if (hold) await new Promise(() => {})
db.close()
console.log('closed')
`,
  )
  return file
}

/** The same writer in Python (the client in python/, from source). */
export function pythonWriterScript(dir: string): string {
  const file = join(dir, 'writer.py')
  writeFileSync(
    file,
    `import math, sys, time
import mldb
name, n, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0
db = mldb.Database()
db.set_exp_status(name, 'TRAINING')
db.set_params(name, {'lr': 0.01, 'name': name})
for i in range(n):
    db.add_metric_value(name, 'acc', i, math.nan if i % 97 == 0 else i / n)
    if every and i % every == every - 1:
        time.sleep(0.002)
db.set_exp_status(name, 'COMPLETE')
print('logged', flush=True)
db.close()
print('closed', flush=True)
`,
  )
  return file
}

/** A running writer process. */
export interface Writer {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  logged: Promise<void>
  exited: Promise<number | null>
}

/** Starts a writer on a machine with MLDB_SERVER / MLDB_TOKEN set. */
export function startWriter(script: string, m: { home: string }, env: Record<string, string>, args: string[]): Writer {
  const python = script.endsWith('.py')
  const child = spawn(python ? 'python3' : process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: m.home, ...(python ? { PYTHONPATH: join(ROOT, 'python') } : {}), ...env },
    stdio: 'pipe',
  })
  children.push(child)
  let out = ''
  let err = ''
  let onLogged: () => void = () => {}
  const logged = new Promise<void>((r) => {
    onLogged = r
  })
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
    if (out.includes('logged')) onLogged()
  })
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, stdout: () => out, stderr: () => err, logged, exited }
}

/** Runs `mldb` on a machine. */
export function onMachine(m: { home: string }, args: string[], env: Record<string, string> = {}): RunResult {
  return mldb(m.home, args, { env })
}

/** A fresh root folder for one test's machines. */
export function freshRoot(): string {
  return mkdtempSync(join(tmpdir(), 'mldb-sync-'))
}

export { ROOT }
