import { spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A throwaway PostgreSQL server, run as the `postgres` user (the server refuses
 * root), on 127.0.0.1 at a free port and on a Unix socket in its own temporary
 * folder, or undefined when this machine has none. `psql` runs SQL without a
 * driver; `url()` is a `pg` connection URL for one database.
 */
export interface Postgres {
  /** Runs a script with psql (stop on the first error); its unaligned output. */
  psql(sql: string, database?: string): string
  /** Creates a fresh database and returns its URL: one per test file or suite keeps them apart. */
  createDatabase(name: string): string
  /** The URL of a database (default `postgres`). */
  url(database?: string): string
  /** The TCP port. */
  port: number
  /** Stops the server but keeps its data (an outage); `start()` brings it back on the same port. */
  halt(): void
  start(): void
  stop(): void
}

function postgresUser(): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  if (r.status !== 0 || g.status !== 0) return undefined
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) }
}

/** Debian puts initdb and pg_ctl in /usr/lib/postgresql/<version>/bin, off PATH. */
function binDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' })
  if (onPath.status === 0 && onPath.stdout.trim()) return undefined
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a))
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin')
  return undefined
}

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Whether this machine can run a throwaway PostgreSQL (root, the postgres user, initdb, pg_ctl, psql). */
export function canStartPostgres(): boolean {
  const dir = binDir()
  const has = (cmd: string) => (dir && existsSync(join(dir, cmd))) || spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
  return !!postgresUser() && has('initdb') && has('pg_ctl') && has('psql') && has('runuser') && process.getuid?.() === 0
}

/** Starts a server, or returns undefined (the caller skips) when initdb, pg_ctl or the postgres user is missing. */
export function startPostgres(port = 20_000 + Math.floor(Math.random() * 30_000)): Postgres | undefined {
  const user = postgresUser()
  if (!user || !canStartPostgres()) return undefined
  const bin = binDir()
  const tool = (name: string) => (bin && existsSync(join(bin, name)) ? join(bin, name) : name)
  const dir = mkdtempSync(join(tmpdir(), 'mldb-pg-'))
  chownSync(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  const as = (args: string[]) => spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', cwd: dir })
  const init = as([tool('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'])
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
  const start = () => {
    const r = as([
      tool('pg_ctl'),
      '-D',
      data,
      '-w',
      '-l',
      join(dir, 'log'),
      '-o',
      `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ])
    if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr}${r.stdout}`)
  }
  start()
  let n = 0
  const psql = (sql: string, database = 'postgres'): string => {
    const file = join(dir, `script-${n++}.sql`)
    writeFileSync(file, sql)
    chownSync(file, user.uid, user.gid)
    const r = as([tool('psql'), '-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file])
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`)
    return r.stdout
  }
  const url = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    psql,
    url,
    createDatabase(name: string): string {
      psql(`CREATE DATABASE "${name}"`)
      return url(name)
    },
    halt() {
      as([tool('pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'])
    },
    start,
    stop() {
      as([tool('pg_ctl'), '-D', data, '-m', 'immediate', 'stop'])
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true })
    },
  }
}
