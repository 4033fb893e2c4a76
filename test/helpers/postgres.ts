import { spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A throwaway PostgreSQL server on a Unix socket, run as the `postgres` user
 * (the server refuses root), or undefined when this machine has none. SQL goes
 * through psql, so no driver is needed to test the SQL text we generate.
 */
export interface Postgres {
  /** Runs a script with psql (stop on the first error); its unaligned output. */
  psql(sql: string): string
  stop(): void
}

function postgresUser(): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  if (r.status !== 0 || g.status !== 0) return undefined
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) }
}

/** Starts a server, or returns undefined (the caller skips) when initdb, pg_ctl or the postgres user is missing. */
export function startPostgres(): Postgres | undefined {
  const user = postgresUser()
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
  if (!user || !has('initdb') || !has('pg_ctl') || !has('psql') || !has('runuser') || process.getuid?.() !== 0) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'mldb-pg-'))
  chownSync(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  const port = String(20_000 + Math.floor(Math.random() * 30_000))
  const as = (args: string[]) => spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', cwd: dir })
  const init = as(['initdb', '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'])
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
  const start = as(['pg_ctl', '-D', data, '-w', '-l', join(dir, 'log'), '-o', `-k ${dir} -p ${port} -c listen_addresses= -c fsync=off`, 'start'])
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}`)
  let n = 0
  return {
    psql(sql: string): string {
      const file = join(dir, `script-${n++}.sql`)
      writeFileSync(file, sql)
      chownSync(file, user.uid, user.gid)
      const r = as(['psql', '-h', dir, '-p', port, '-U', 'postgres', '-d', 'postgres', '-At', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file])
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`)
      return r.stdout
    },
    stop() {
      as(['pg_ctl', '-D', data, '-m', 'immediate', 'stop'])
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true })
    },
  }
}
