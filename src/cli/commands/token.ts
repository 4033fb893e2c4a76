import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { MldbError, NotFoundError, ValidationError } from '../../errors.js'
import { noteDatabasePath } from '../errors.js'
import { color, out, printJson } from '../output.js'

const TOKEN_NAME = /^[A-Za-z0-9._@-]{1,64}$/

async function withStore<T>(db: string | undefined, mustExist: boolean, fn: (store: import('../../store/store.js').Store) => Promise<T>): Promise<T> {
  const { openStore, isPostgresUrl } = await import('../../store/open-store.js')
  const { resolveDbPath } = await import('../../config.js')
  const target = isPostgresUrl(db) ? db : resolveDbPath(db).path
  // ls and revoke only read what exists: a mistyped --db must not become a new empty file
  if (!mustExist || isPostgresUrl(target) || existsSync(target)) noteDatabasePath(target)
  else throw new MldbError(`no database at ${target}; point --db at the server's file or postgresql:// URL`)
  const store = await openStore(target)
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

/** `mldb token create|ls|revoke`: access tokens of `mldb server`, kept (as hashes) in the file or the PostgreSQL database. */
export function registerToken(program: Command): void {
  const token = program.command('token').description('access tokens of mldb server: create (printed once), ls, revoke')
  const dbOption = '--db <path|url>'
  const dbHelp = 'a SQLite file or postgresql://... URL (default: MLDB_DB_PATH, ~/.mldb_config.json, ~/.mldb/mldb.db)'

  token
    .command('create <name>')
    .description('make a token and print it once; only its sha256 is stored')
    .option(dbOption, dbHelp)
    .option('--read-only', 'the token may read but not write (403 on writes)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { db?: string; readOnly?: boolean; json?: boolean }) => {
      if (!TOKEN_NAME.test(name)) throw new ValidationError(`token name "${name}" must be 1-64 letters, digits or . _ @ -`, 'name')
      const { hashToken, newAccessToken } = await import('../../server/tokens.js')
      const secret = newAccessToken()
      await withStore(opts.db, false, (store) => store.createToken(name, hashToken(secret), opts.readOnly ?? false))
      if (opts.json) printJson({ name, readOnly: opts.readOnly ?? false, token: secret })
      else {
        out(secret)
        process.stderr.write(`token "${name}"${opts.readOnly ? ' (read-only)' : ''} created; it is shown only now: keep it (e.g. in MLDB_TOKEN)\n`)
      }
    })

  token
    .command('ls')
    .description('list tokens (names and roles; never the tokens)')
    .option(dbOption, dbHelp)
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const list = await withStore(opts.db, true, (store) => store.listTokens())
      if (opts.json) return printJson(list)
      if (list.length === 0) return out(color.dim('no tokens; make one with mldb token create NAME'))
      for (const t of list) out(`${t.name}\t${t.readOnly ? 'read-only' : 'read-write'}\t${new Date(t.createdAt).toISOString()}`)
    })

  token
    .command('revoke <name>')
    .description('delete a token: requests with it get 401 from then on')
    .option(dbOption, dbHelp)
    .action(async (name: string, opts: { db?: string }) => {
      const gone = await withStore(opts.db, true, (store) => store.revokeToken(name))
      if (!gone) throw new NotFoundError(`no token named "${name}"; see them with mldb token ls`, 'token', name)
      out(`token "${name}" revoked`)
    })
}
