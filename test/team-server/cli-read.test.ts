// `mldb --server URL ls|show|best|compare|export` as a user runs them: a real
// `mldb server` on a SQLite file and on PostgreSQL, written through the write
// API, and every read command's output (text and --json) compared with the same
// command on the SQLite server's own file.

import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, tempHome } from '../cli/helpers.js'
import { freePort } from '../helpers/postgres.js'
import { BACKENDS, type Fresh } from './backends.js'

const t = tempHome()
const children: ChildProcessWithoutNullStreams[] = []
const TOKEN = 'mldb_cli_read_test_token'
/** 2023-11-14: every time is pinned, so "started 2y ago" and durations read the same on every backend. */
const T0 = 1_700_000_000_000

interface Run {
  status: number
  stdout: string
  stderr: string
}

/** Runs the built `mldb` with HOME set and only the environment given (no inherited MLDB_*). */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [buildCli(), ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: t.home, ...env }, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    )
  })
}

/** Starts `mldb server` and resolves with its base URL once it is listening. */
function startServer(db: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [buildCli(), 'server', '--port', '0', '--db', db, '--token', TOKEN, '--artifacts', join(t.home, `art-${children.length}`)],
    {
      env: { PATH: process.env.PATH ?? '', HOME: t.home },
    },
  )
  children.push(child)
  return new Promise((resolve, reject) => {
    let text = ''
    const onData = (d: Buffer) => {
      text += d.toString()
      const m = text.match(/mldb server on (http:\/\/\S+?\/)/)
      if (m && text.includes('Ctrl-C stops it')) resolve(m[1] as string)
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => reject(new Error(`mldb server exited ${code}: ${text}`)))
  })
}

async function send(base: string, method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json' },
    body: body instanceof Uint8Array ? Buffer.from(body) : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
}

/** A file on this machine whose record matches it (size, mtime), so it is neither MISSING nor CHANGED. */
function realFile(name: string, text: string): { path: string; size: number; mtime: number; sha256: string; bytes: Uint8Array } {
  const path = join(t.home, name)
  writeFileSync(path, text)
  const mtime = T0 + 5_000
  utimesSync(path, mtime / 1000, mtime / 1000)
  const bytes = new TextEncoder().encode(text)
  return { path, size: bytes.length, mtime, sha256: createHash('sha256').update(bytes).digest('hex'), bytes }
}

/**
 * The same experiments, written the same way through the write API: projects,
 * params, tags, notes, statuses (one LOST), NaN and ±Infinity, a duplicate
 * step, model and checkpoint files (one uploaded as an artifact, one missing).
 */
async function writeData(base: string): Promise<void> {
  const c = 'cli-read'
  let seq = 0
  const id = () => ({ client: c, seq: ++seq })
  const model = realFile('model-a.json', '{"w":[1,2,3]}')
  const ckpt = realFile('ckpt-a-2.json', '{"w":[1,2]}')
  const exps = [
    { name: 'alpha', project: 'iris', params: { lr: 0.01, bs: 32, opt: 'adam' }, tags: { team: 'vision' }, status: 'COMPLETE' },
    { name: 'beta', project: 'iris', params: { lr: 0.1, bs: 64, opt: 'sgd', '10': 'ten', '9': 'nine' }, tags: { team: 'nlp' }, status: 'FAILED' },
    { name: 'gamma', project: 'mnist', params: { lr: 0.001, bs: 32, nested: { a: [1, 'NaN'] } }, tags: {}, status: 'COMPLETE' },
    { name: 'delta run', project: 'mnist', params: { lr: 0.05 }, tags: { 'top-1 acc': 'x' }, status: 'TRAINING' },
  ]
  for (const [i, e] of exps.entries()) {
    await send(base, 'POST', 'api/experiments', { ...id(), name: e.name, project: e.project, params: e.params, tags: e.tags, host: 'gpu1', pid: 100 + i })
    const points = []
    for (let step = 0; step < 30; step++) {
      const loss = 1 / (step + 1 + i)
      points.push({ name: 'loss', split: 'valid', step, value: loss, time: T0 + step * 1000 })
      points.push({ name: 'acc', split: 'valid', step, value: 1 - loss / (i + 1), time: T0 + step * 1000 })
      points.push({ name: 'loss', split: 'train', step, value: step === 7 && i === 2 ? 'NaN' : loss * 0.9, time: T0 + step * 1000 })
    }
    // a duplicate step and the infinities
    points.push({ name: 'loss', split: 'train', step: 29, value: 0.5, time: T0 + 40_000 })
    if (i === 1)
      points.push({ name: 'grad', split: '', step: 0, value: 'Infinity', time: T0 }, { name: 'grad', split: '', step: 1, value: '-Infinity', time: T0 + 1 })
    await send(base, 'POST', `api/experiments/${encodeURIComponent(e.name)}/points`, { ...id(), points })
    if (e.status !== 'TRAINING') await send(base, 'POST', `api/experiments/${encodeURIComponent(e.name)}/status`, { ...id(), status: e.status })
  }
  await send(base, 'POST', 'api/experiments/alpha/notes', { ...id(), notes: 'first try\nwith two lines' })
  // a series longer than the server's export page (100,000 points) whose page ends inside a step logged three times
  await send(base, 'POST', 'api/experiments', { ...id(), name: 'epsilon', project: 'big' })
  const long = Array.from({ length: 100_002 }, (_, i) => ({ name: 'dup', split: 'steps', step: Math.min(i, 99_999), value: i, time: T0 + i }))
  await send(base, 'POST', 'api/experiments/epsilon/points', { ...id(), points: long.slice(0, 60_000) })
  await send(base, 'POST', 'api/experiments/epsilon/points', { ...id(), points: long.slice(60_000) })
  await send(base, 'PUT', `api/artifacts/${model.sha256}`, model.bytes)
  const file = (f: ReturnType<typeof realFile>, kind: string, step: number | null, sha = true) => ({
    ...id(),
    path: f.path,
    kind,
    step,
    size: f.size,
    mtime: f.mtime,
    sha256: sha ? f.sha256 : null,
    meta: { epochs: 30 },
  })
  await send(base, 'POST', 'api/experiments/alpha/files', file(ckpt, 'checkpoint', 2, false))
  await send(base, 'POST', 'api/experiments/alpha/files', file(model, 'model', null))
  await send(base, 'POST', 'api/experiments/beta/files', { ...file(ckpt, 'model', 29, false), path: join(t.home, 'gone.pt') })
  // the registry, which the export carries after the experiments: two models, alias moves, a NaN in a version's evidence
  await send(base, 'PUT', `api/artifacts/${ckpt.sha256}`, ckpt.bytes)
  const metric = { name: 'loss', split: 'valid', count: 30, lastStep: 29, last: 'NaN', min: 0.03, max: 1 }
  const version = (f: ReturnType<typeof realFile>, exp: string, path: string) => ({
    ...id(),
    exp,
    path,
    sha256: f.sha256,
    size: f.size,
    params: { lr: 0.01 },
    metrics: [metric],
    by: 'ann@gpu1',
  })
  await send(base, 'POST', 'api/models/iris/versions', {
    ...version(model, 'alpha', model.path),
    aliases: ['staging'],
    description: 'first',
    tags: { team: 'vision' },
  })
  await send(base, 'POST', 'api/models/iris/versions', { ...version(ckpt, 'beta', join(t.home, 'gone.pt')), aliases: ['champion'] })
  await send(base, 'POST', 'api/models/iris/aliases', { ...id(), alias: 'staging', version: 2, by: 'bob@gpu2' })
  await send(base, 'POST', 'api/models/iris/aliases', { ...id(), alias: 'champion', version: null, by: 'bob@gpu2' })
  await send(base, 'POST', 'api/models/digits/versions', version(model, 'gamma', join(t.home, 'gamma.bin')))
}

/** Pins every time the server stamped (creation, status changes, files) to the same values on every backend. */
async function pinTimes(db: Fresh): Promise<void> {
  await db.sql(
    `UPDATE experiments SET created_at = $1 + id * 1000, started_at = $1 + id * 1000,
       ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE $1 + id * 1000 + 90000 END,
       updated_at = $1 + id * 1000 + 90000, heartbeat_at = CASE WHEN heartbeat_at IS NULL THEN NULL ELSE $1 + id * 1000 + 60000 END`,
    [T0],
  )
  await db.sql('UPDATE status_history SET time = $1 + id * 10', [T0])
  await db.sql('UPDATE file_pointers SET created_at = $1 + id', [T0])
  // by name: PostgreSQL's model ids may skip a number (an upsert takes one from the sequence)
  await db.sql('UPDATE registered_models SET created_at = CAST($1 AS BIGINT) + length(name) * 100, updated_at = CAST($1 AS BIGINT) + length(name) * 100 + 50', [
    T0,
  ])
  await db.sql('UPDATE model_versions SET registered_at = $1 + id * 100 + 10', [T0])
  await db.sql('UPDATE model_aliases SET updated_at = $1', [T0])
  await db.sql('UPDATE model_alias_history SET time = $1 + id * 100 + 20', [T0])
}

/** The read commands compared: text and --json, filters, sorting, limits, projects, errors. */
const COMMANDS: string[][] = [
  ['ls'],
  ['ls', '--json'],
  ['ls', '--project', 'iris'],
  ['ls', '--where', 'params.lr < 0.05 and metrics.valid/loss < 0.2'],
  ['ls', '--sort', 'valid/acc desc', '--json'],
  ['ls', '--sort', 'params.lr'],
  ['ls', '--limit', '2'],
  ['ls', '--status', 'COMPLETE', '--columns', 'name,status,lr,valid/loss,tags.team'],
  ['ls', '--where', "tags.team = 'nlp'", '--json'],
  ['ls', '--trash'],
  ['ls', '--trash', '--json'],
  ['ls', '--where', 'params.lr <'],
  ['show', 'alpha'],
  ['show', 'alpha', '--json'],
  ['show', 'beta'],
  ['show', 'gamma', '--json'],
  ['show', 'delta run'],
  ['best', 'valid/loss'],
  ['best', 'valid/loss', '--json'],
  ['best', 'valid/acc', '--json'],
  ['best', 'metrics.valid/loss', '--max', '--project', 'iris'],
  ['best', 'valid/loss', '--where', 'params.bs = 64', '--json'],
  ['best', 'train/loss', '--where', "status = 'KILLED'"],
  ['best', 'acc'],
  ['best', 'valid/loss', '--where', 'params.lr <'],
  ['best', 'valid/loss', '--where', 'params.nope > 1'],
  ['compare', 'alpha', 'beta', 'gamma'],
  ['compare', 'alpha', 'beta', '--json'],
  ['export'],
  ['export', '--format', 'csv'],
  ['export', '--project', 'mnist'],
  ['export', '--project', 'big'],
  ['export', '--where', 'params.lr >= 0.05', '--format', 'csv'],
]

const servers: { name: string; url: string; db: Fresh }[] = []
let reference = ''
const onFileRuns = new Map<string, Promise<Run>>()

/** The command on the SQLite server's own file, run once for both backends. */
function onFile(args: string[]): Promise<Run> {
  const key = JSON.stringify(args)
  let r = onFileRuns.get(key)
  if (!r) {
    r = run([...args, '--db', reference])
    onFileRuns.set(key, r)
  }
  return r
}

beforeAll(async () => {
  buildCli()
  for (const backend of BACKENDS) {
    const db = await backend.fresh()
    const url = await startServer(db.db)
    await writeData(url)
    await pinTimes(db)
    // one experiment in the trash, the same on both
    await send(url, 'POST', 'api/experiments', { client: 'trash', seq: 1, name: 'binned', project: 'iris' })
    await db.sql('UPDATE experiments SET deleted_at = $1, created_at = $1, started_at = $1, updated_at = $1, heartbeat_at = $1 WHERE name = $2', [T0, 'binned'])
    await db.sql("UPDATE status_history SET time = $1 WHERE experiment_id = (SELECT id FROM experiments WHERE name = 'binned')", [T0])
    servers.push({ name: backend.name, url, db })
    if (backend.name === 'sqlite') reference = db.db
  }
}, 180_000)

afterAll(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  t.cleanup()
})

describe.each(BACKENDS.map((b) => b.name))('mldb --server URL on %s', (backendName) => {
  const server = () => servers.find((s) => s.name === backendName) as (typeof servers)[number]

  it.each(COMMANDS.map((c) => [c.join(' '), c]))('%s prints what it prints on the file', async (_label, args) => {
    const [local, remote] = await Promise.all([onFile(args as string[]), run(['--server', server().url, ...(args as string[])], { MLDB_TOKEN: TOKEN })])
    expect(remote.status).toBe(local.status)
    expect(remote.stdout).toBe(local.stdout)
    // errors name where they read (the file or the server); their first words are the same
    expect(remote.stderr.split(/ in \/| on http/)[0]).toBe(local.stderr.split(/ in \/| on http/)[0])
  })

  it('reads the server from MLDB_SERVER or the config file when no --db is given, and the file with --db', async () => {
    const url = server().url
    expect(JSON.parse((await run(['config', '--json'], { MLDB_SERVER: url })).stdout).readServer).toBe(url)
    expect(JSON.parse((await run(['config', '--json', '--db', reference], { MLDB_SERVER: url })).stdout).readServer).toBeNull()
    const viaEnv = await run(['ls', '--json'], { MLDB_SERVER: url, MLDB_TOKEN: TOKEN })
    expect(viaEnv.status).toBe(0)
    expect(JSON.parse(viaEnv.stdout).map((e: { name: string }) => e.name)).toEqual(['epsilon', 'delta run', 'gamma', 'beta', 'alpha'])
    // a script that sets MLDB_SERVER to sync still reads its own file with --db or MLDB_DB_PATH
    const mine = join(t.home, `mine-${backendName}`)
    const own = join(mine, '.mldb', 'mldb.db')
    expect((await run(['status', 'mine', 'COMPLETE', '--db', own])).status).toBe(0)
    for (const r of [
      await run(['ls', '--json', '--db', own], { MLDB_SERVER: url, MLDB_TOKEN: TOKEN }),
      await run(['ls', '--json'], { MLDB_SERVER: url, MLDB_TOKEN: TOKEN, MLDB_DB_PATH: own }),
      await run(['ls', '--json', '--server', ''], { MLDB_SERVER: url, MLDB_TOKEN: TOKEN, HOME: mine }),
    ]) {
      expect(r.stderr).toBe('')
      expect(JSON.parse(r.stdout).map((e: { name: string }) => e.name)).toEqual(['mine'])
    }
    const home = join(t.home, `cfg-${backendName}`)
    const config = join(home, '.mldb_config.json')
    mkdirSync(home, { recursive: true })
    writeFileSync(config, JSON.stringify({ server: url, token: TOKEN }))
    const viaConfig = await run(['best', 'valid/loss', '--json'], { HOME: home })
    expect(viaConfig.stderr).toBe('')
    expect(JSON.parse(viaConfig.stdout).experiment.name).toBe('delta run')
  })

  it('export into a file, then import: the copy has the registry the server has (models, versions with evidence, aliases, alias history)', async () => {
    const out = join(t.home, `via-${backendName}.jsonl`)
    const exported = await run(['--server', server().url, 'export', '--out', out], { MLDB_TOKEN: TOKEN })
    expect(exported.status).toBe(0)
    expect(exported.stderr).toMatch(/^exported 5 experiments and \d+ points \(and 3 model versions\) to /)
    const dst = join(t.home, `via-${backendName}.db`)
    const imported = await run(['import', out, '--db', dst])
    expect(imported.status).toBe(0)
    // digits' version names a file gamma never recorded: kept unlinked, said in one line
    expect(imported.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^model "digits" version 1: the file record of .*gamma\.bin \(experiment "gamma"\) is in neither the import nor this database/),
      expect.stringMatching(/^imported 5 experiments, \d+ points, 2 models, 3 model versions and 1 alias$/),
    ])
    const registryLines = (text: string) => text.split('\n').filter((l) => l.startsWith('{"record":"model'))
    const sent = registryLines(readFileSync(out, 'utf8'))
    expect(sent.map((l) => JSON.parse(l).record)).toEqual([
      'model',
      'model',
      'model_version',
      'model_version',
      'model_version',
      'model_alias_change',
      'model_alias_change',
      'model_alias_change',
      'model_alias_change',
      'model_alias',
    ])
    expect(registryLines((await run(['export', '--db', dst])).stdout)).toEqual(sent)
  })

  it('refuses --db with --server, and an MLflow export through a server, in one line (exit 2)', async () => {
    const both = await run(['ls', '--db', reference, '--server', server().url])
    expect(both).toMatchObject({ status: 2, stdout: '', stderr: 'mldb: give --db (a file) or --server (a team server), not both\n' })
    const mlflow = await run(['--server', server().url, 'export', '--format', 'mlflow', join(t.home, 'mlruns')], { MLDB_TOKEN: TOKEN })
    expect(mlflow.status).toBe(2)
    expect(mlflow.stderr).toMatch(/^mldb: --format mlflow reads a database file; give --db PATH[^\n]*\n$/)
  })

  it('a wrong or missing token is one line naming the server and what to do (exit 1)', async () => {
    for (const env of [{ MLDB_TOKEN: 'mldb_wrong' }, {}] as Record<string, string>[]) {
      const r = await run(['--server', server().url, 'ls'], env)
      expect(r.status).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr.split('\n')).toHaveLength(2)
      expect(r.stderr).toContain(`mldb: the mldb server at ${server().url} refused the token`)
      expect(r.stderr).toMatch(/set MLDB_TOKEN or "token" in ~\/\.mldb_config\.json to a token from `mldb token create`\n$/)
    }
  })

  it('a file whose bytes the server holds is not MISSING, even where its path does not exist', async () => {
    const r = await run(['--server', server().url, 'show', 'alpha', '--json'], { MLDB_TOKEN: TOKEN, HOME: t.home })
    const files = JSON.parse(r.stdout).files as { kind: string; problem: string | null; sha256: string | null }[]
    expect(files.find((f) => f.kind === 'model')?.problem).toBeNull()
    rmSync(join(t.home, 'model-a.json'))
    try {
      const after = await run(['--server', server().url, 'show', 'alpha', '--json'], { MLDB_TOKEN: TOKEN })
      expect((JSON.parse(after.stdout).files as { kind: string; problem: string | null }[]).find((f) => f.kind === 'model')?.problem).toBeNull()
      const onFile = await run(['show', 'alpha', '--json', '--db', reference])
      expect((JSON.parse(onFile.stdout).files as { kind: string; problem: string | null }[]).find((f) => f.kind === 'model')?.problem).toBe('missing')
    } finally {
      realFile('model-a.json', '{"w":[1,2,3]}')
    }
  })
})

describe('mldb --server URL when the server is not there', () => {
  it('an unreachable server is one line naming it and what to do (exit 1)', async () => {
    const port = await freePort() // nothing listens there
    const r = await run(['--server', `http://127.0.0.1:${port}`, 'show', 'alpha'])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(
      /^mldb: cannot reach the mldb server at http:\/\/127\.0\.0\.1:\d+\/ \(ECONNREFUSED\); start it \(mldb server\), fix --server \/ MLDB_SERVER \/ "server" in ~\/\.mldb_config\.json, or read a file with --db PATH\n$/,
    )
  })

  it('a URL that is no mldb server (404) is one line saying so (exit 1)', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' })
      res.end('<h1>Not Found</h1>')
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`
      for (const args of [['ls'], ['best', 'valid/loss'], ['export']]) {
        const r = await run(['--server', url, ...args])
        expect(r.status).toBe(1)
        expect(r.stdout).toBe('')
        expect(r.stderr).toMatch(
          new RegExp(
            `^mldb: the server at ${url} has no read route /api/\\S+: it is not an mldb server, or an older one; upgrade it, or read a file with --db PATH\\n$`,
          ),
        )
      }
    } finally {
      other.close()
    }
  })

  it('a 403 or a 503 is one line naming the server and what to do (exit 1)', async () => {
    let status = 403
    const other = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          error: { code: status === 403 ? 'forbidden' : 'unavailable', message: status === 403 ? 'not from this host' : 'PostgreSQL is unreachable' },
        }),
      )
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`
      const forbidden = await run(['--server', url, 'show', 'alpha'])
      expect(forbidden).toMatchObject({ status: 1, stdout: '' })
      expect(forbidden.stderr).toBe(
        `mldb: the mldb server at ${url} refused to read /api/experiments/alpha (not from this host); set MLDB_TOKEN or "token" in ~/.mldb_config.json to a token from \`mldb token create\`\n`,
      )
      status = 503
      const down = await run(['--server', url, 'compare', 'alpha', 'beta'])
      expect(down).toMatchObject({ status: 1, stdout: '' })
      expect(down.stderr).toBe(`mldb: the mldb server at ${url} is unavailable (PostgreSQL is unreachable); try again shortly\n`)
    } finally {
      other.close()
    }
  })

  it('an invalid server URL is one line (exit 1)', async () => {
    const r = await run(['ls'], { MLDB_SERVER: 'gpu-box:5757:x' })
    expect(r.status).toBe(1)
    expect(r.stderr.split('\n')).toHaveLength(2)
    expect(r.stderr).toMatch(/^mldb: the server "gpu-box:5757:x"/)
  })
})
