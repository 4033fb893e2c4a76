// `mldb server` and `mldb token` as a team runs them: real processes, a real
// PostgreSQL that goes away and comes back, tokens made on the command line.

import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, mldb, ok, tempHome } from '../cli/helpers.js'
import { freshPgUrl, freshSqlitePath, sharedCluster } from './backends.js'

const t = tempHome()
const children: ChildProcessWithoutNullStreams[] = []
beforeAll(() => {
  buildCli()
})
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})
afterAll(() => t.cleanup())

/** Starts `mldb server ...` and resolves with its base URL once it printed "Ctrl-C stops it". */
function startServer(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [buildCli(), 'server', '--port', '0', ...args], { env: { PATH: process.env.PATH ?? '', HOME: t.home } })
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

async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

describe.each([
  ['a SQLite file', () => freshSqlitePath()],
  ['a PostgreSQL URL', () => freshPgUrl()],
])('mldb token on %s', (_what, fresh) => {
  it('refuses token ls and revoke on a mistyped --db in one line, creating no file', () => {
    const typo = join(t.home, 'typo.db')
    for (const args of [
      ['token', 'ls', '--db', typo],
      ['token', 'revoke', 'ci', '--db', typo],
    ]) {
      const r = mldb(t.home, args)
      expect(r.status).toBe(1)
      expect(r.stderr).toBe(`mldb: no database at ${typo}; point --db at the server's file or postgresql:// URL\n`)
    }
    expect(existsSync(typo)).toBe(false)
  })

  it('creates (printed once), lists and revokes tokens; the server honours them', async () => {
    const db = fresh()
    const rw = ok(t.home, ['token', 'create', 'alice', '--db', db]).trim()
    const ro = ok(t.home, ['token', 'create', 'dashboard', '--read-only', '--db', db]).trim()
    expect(rw).toMatch(/^mldb_[A-Za-z0-9_-]{43}$/)
    expect(ro).not.toBe(rw)
    const dup = mldb(t.home, ['token', 'create', 'alice', '--db', db])
    expect(dup.status).toBe(1)
    expect(dup.stderr.trim().split('\n')).toHaveLength(1)
    expect(dup.stderr).toMatch(/token named "alice" exists/)
    const ls = ok(t.home, ['token', 'ls', '--db', db])
    expect(ls).toMatch(/alice\tread-write/)
    expect(ls).toMatch(/dashboard\tread-only/)
    expect(ls).not.toContain(rw)

    const base = await startServer(['--db', db, '--artifacts', `${t.home}/art-${Math.random()}`])
    expect((await call(base, rw, 'POST', '/api/experiments', { client: 'u1', seq: 1, name: 'e1' })).status).toBe(201)
    expect((await call(base, ro, 'GET', '/api/experiments/e1')).status).toBe(200)
    expect((await call(base, ro, 'POST', '/api/experiments/e1/status', { client: 'u1', seq: 2, status: 'COMPLETE' })).status).toBe(403)
    expect((await call(base, 'mldb_nope', 'GET', '/api/experiments')).status).toBe(401)
    expect(ok(t.home, ['token', 'revoke', 'alice', '--db', db])).toMatch(/revoked/)
    expect((await call(base, rw, 'GET', '/api/experiments')).status).toBe(401)
    const again = mldb(t.home, ['token', 'revoke', 'alice', '--db', db])
    expect(again.status).toBe(1)
    expect(again.stderr).toMatch(/no token named "alice"/)
  })
})

describe('mldb server on PostgreSQL', () => {
  it('says in one line that PostgreSQL is unreachable at start, and exits 1', () => {
    const r = mldb(t.home, ['server', '--port', '0', '--db', 'postgresql://mldb:secret@127.0.0.1:1/mldb'])
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/PostgreSQL at postgresql:\/\/mldb:\*\*\*@127\.0\.0\.1:1\/mldb is unreachable/)
    expect(r.stderr).not.toContain('secret')
  })

  it('answers 503 while PostgreSQL restarts, recovers by itself, and a retried write lands exactly once', async () => {
    const db = freshPgUrl()
    const base = await startServer(['--db', db, '--token', 'tok', '--artifacts', `${t.home}/art-pg`])
    expect((await call(base, 'tok', 'POST', '/api/experiments', { client: 'm2', seq: 1, name: 'remote' })).status).toBe(201)
    const batch = { client: 'm2', seq: 2, points: Array.from({ length: 1000 }, (_, i) => ({ name: 'loss', split: 'train', step: i, value: 1 / (i + 1) })) }
    const cluster = sharedCluster()
    cluster.halt()
    try {
      const down = await call(base, 'tok', 'POST', '/api/experiments/remote/points', batch)
      expect(down.status).toBe(503)
      expect((down.json.error as { message: string }).message).toMatch(/unreachable.*retry/)
      expect((await call(base, 'tok', 'GET', '/api/experiments')).status).toBe(503)
    } finally {
      cluster.start()
    }
    // The client retries the same write until it is acknowledged.
    let r = await call(base, 'tok', 'POST', '/api/experiments/remote/points', batch)
    for (let i = 0; i < 20 && r.status === 503; i++) r = await call(base, 'tok', 'POST', '/api/experiments/remote/points', batch)
    expect(r).toMatchObject({ status: 200, json: { duplicate: false } })
    expect((await call(base, 'tok', 'POST', '/api/experiments/remote/points', batch)).json.duplicate).toBe(true)
    const e = await call(base, 'tok', 'GET', '/api/experiments/remote')
    expect((e.json.series as Record<string, { count: number }>)['train/loss']?.count).toBe(1000)
  })

  it('takes writes from a second machine (another process with its own HOME) and serves them to mldb ls-style reads', async () => {
    const db = freshPgUrl()
    const base = await startServer(['--db', db, '--token', 'tok2', '--artifacts', `${t.home}/art-pg2`])
    const other = tempHome()
    const script = `
      const base = process.argv[1]; const h = { authorization: 'Bearer tok2', 'content-type': 'application/json' };
      const post = (p, b) => fetch(new URL(p, base), { method: 'POST', headers: h, body: JSON.stringify(b) }).then((r) => r.status);
      const client = require('node:crypto').randomUUID();
      (async () => {
        const s = [await post('/api/experiments', { client, seq: 1, name: 'from-b', host: require('node:os').homedir() })];
        for (let k = 0; k < 5; k++) s.push(await post('/api/experiments/from-b/points', { client, seq: 2 + k, points: Array.from({ length: 100 }, (_, i) => ({ name: 'acc', step: k * 100 + i, value: i })) }));
        s.push(await post('/api/experiments/from-b/status', { client, seq: 10, status: 'COMPLETE' }));
        console.log(s.join(','));
      })();`
    const r = spawnSync(process.execPath, ['-e', script, base], { env: { PATH: process.env.PATH ?? '', HOME: other.home }, encoding: 'utf8' })
    other.cleanup()
    expect(r.stdout.trim()).toBe('201,200,200,200,200,200,200')
    const list = await call(base, 'tok2', 'GET', "/api/experiments?where=status%20%3D%20'COMPLETE'")
    const [e] = list.json.experiments as { name: string; host: string; series: Record<string, { count: number }> }[]
    expect(e).toMatchObject({ name: 'from-b', host: other.home })
    expect(e?.series.acc?.count).toBe(500)
  })
})
