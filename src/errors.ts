/**
 * Every error mldb raises on purpose is an `MldbError`; its message names the
 * value at fault and says what to do.
 *
 * @example
 * try { db.getExpStatus('nope') } catch (e) { if (e instanceof NotFoundError) console.log(e.message) }
 */
export class MldbError extends Error {
  override name = 'MldbError'
}

/** The configuration file or option is unusable (bad JSON, no `db_path`). */
export class ConfigError extends MldbError {
  override name = 'ConfigError'
  constructor(
    message: string,
    /** the file that was read, when there is one */
    readonly file?: string,
  ) {
    super(message)
  }
}

/** An experiment, series or file that was asked for does not exist. */
export class NotFoundError extends MldbError {
  override name = 'NotFoundError'
  constructor(
    message: string,
    /** what kind of thing was missing: 'experiment', 'series', ... */
    readonly what: string,
    /** the name that was looked up */
    readonly key: string,
  ) {
    super(message)
  }
}

/** A value given to the API is not acceptable; nothing was written. */
export class ValidationError extends MldbError {
  override name = 'ValidationError'
  constructor(
    message: string,
    /** the argument or field at fault */
    readonly field?: string,
  ) {
    super(message)
  }
}

/**
 * A `where` filter or `orderBy` could not be parsed; `column` is 1-based, in Unicode code points.
 * `field` says which: an orderBy's message ends "of sort key: ...", so `mldb ls --sort lr`
 * does not speak of a filter the user never wrote.
 */
export class FilterSyntaxError extends ValidationError {
  override name = 'FilterSyntaxError'
  constructor(
    message: string,
    readonly filter: string,
    readonly column: number,
    field: 'where' | 'orderBy' = 'where',
  ) {
    super(`${message} at column ${column} of ${field === 'orderBy' ? 'sort key' : 'filter'}: ${filter}`, field)
  }
}

/** The database file was written by a newer mldb, or is not an mldb database. */
export class SchemaVersionError extends MldbError {
  override name = 'SchemaVersionError'
  constructor(
    message: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(message)
  }
}

/** The file is not an SQLite database, or SQLite failed in a way the user must see. */
export class DatabaseError extends MldbError {
  override name = 'DatabaseError'
  constructor(
    message: string,
    /** the failing SQL, when there is one (Drizzle keeps it the same way) */
    readonly sql?: string,
    override readonly cause?: unknown,
  ) {
    super(message)
  }
}

/**
 * SQLite itself failed: the disk is full, the file stayed locked, is read-only,
 * gave an I/O error or is damaged. `code` keeps SQLite's extended result code
 * ('SQLITE_FULL', 'SQLITE_IOERR_SHORT_READ', ...); the message says what to do.
 * The call that raised it wrote nothing (its transaction was rolled back).
 *
 * @example
 * try { db.addMetricValue(exp, 'loss', 0, 1) } catch (e) { if (e instanceof SqliteFailure) console.error(e.code) }
 */
export class SqliteFailure extends DatabaseError {
  override name = 'SqliteFailure'
  constructor(
    message: string,
    /** SQLite's extended result code, e.g. 'SQLITE_BUSY' */
    readonly code: string,
    sql?: string,
    cause?: unknown,
  ) {
    super(message, sql, cause)
  }
}

/** SQLITE_FULL: the disk (or quota) holding the database is full. @example e instanceof DiskFullError */
export class DiskFullError extends SqliteFailure {
  override name = 'DiskFullError'
}

/** SQLITE_BUSY/LOCKED: another process kept the database locked past the busy timeout and its retries. @example e instanceof DatabaseBusyError */
export class DatabaseBusyError extends SqliteFailure {
  override name = 'DatabaseBusyError'
}

/** SQLITE_READONLY: the file, its -wal/-shm files or its folder cannot be written. @example e instanceof ReadOnlyDatabaseError */
export class ReadOnlyDatabaseError extends SqliteFailure {
  override name = 'ReadOnlyDatabaseError'
}

/** SQLITE_IOERR: the operating system failed a read or write (or the -wal vanished). @example e instanceof DatabaseIoError */
export class DatabaseIoError extends SqliteFailure {
  override name = 'DatabaseIoError'
}

/** SQLITE_CORRUPT/NOTADB: the file is damaged or not a database. @example e instanceof CorruptDatabaseError */
export class CorruptDatabaseError extends SqliteFailure {
  override name = 'CorruptDatabaseError'
}
