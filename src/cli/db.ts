import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { Database } from '../api/database.js'
import { resolveDbPath } from '../config.js'
import { MldbError, SchemaVersionError } from '../errors.js'
import { noteDatabasePath } from './errors.js'
import { assertNotForeign, readOpenError, writeOpenError } from './open-errors.js'

/** Adds `--db PATH` to a command. */
export function withDb(cmd: Command): Command {
  return cmd.option('--db <path>', 'the database file (default: MLDB_DB_PATH, ~/.mldb_config.json, ~/.mldb/mldb.db)')
}

const SOURCE_HINT: Record<string, string> = {
  option: '--db',
  CONFIG: 'CONFIG',
  env: 'MLDB_DB_PATH',
  'config-file': '~/.mldb_config.json',
  default: 'the default path',
}

/**
 * Opens the database for reading: read-only, so a read command never writes,
 * and a missing file is an error rather than a new empty database.
 */
export function openForRead(dbOption: string | undefined): Database {
  const resolved = resolveDbPath(dbOption)
  if (resolved.path !== ':memory:' && !existsSync(resolved.path)) {
    throw new MldbError(`no database at ${resolved.path} (from ${SOURCE_HINT[resolved.source]}); log an experiment first, or point --db at one`)
  }
  assertNotForeign(resolved.path)
  noteDatabasePath(resolved.path)
  try {
    // The command chose this file over any team server (read-target.ts): its registry is the file's too.
    return new Database({ path: resolved.path, readonly: true, server: '' })
  } catch (e) {
    // A file from an older mldb: its migrations only add, so a read command
    // upgrades it (once, read-write) rather than sending the user off to find a
    // writing command. A file that cannot be written keeps the error, which says so.
    if (e instanceof SchemaVersionError && e.found > 0 && e.found < e.supported) {
      try {
        new Database({ path: resolved.path, server: '' }).close()
        return new Database({ path: resolved.path, readonly: true, server: '' })
      } catch (upgrade) {
        throw readOpenError(resolved.path, upgrade)
      }
    }
    throw readOpenError(resolved.path, e)
  }
}

/** Opens (and creates when new) the database for writing. */
export function openForWrite(dbOption: string | undefined): Database {
  const path = resolveDbPath(dbOption).path
  assertNotForeign(path)
  noteDatabasePath(path)
  try {
    return new Database({ path })
  } catch (e) {
    throw writeOpenError(path, e)
  }
}
