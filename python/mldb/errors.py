"""The exceptions mldb raises on purpose; each message names the value at fault
and says what to do. They mirror the TypeScript classes in src/errors.ts."""


class MldbError(Exception):
    """Base class of every error mldb raises on purpose."""


class ConfigError(MldbError):
    """The configuration file is unusable (bad JSON, no ``db_path``); ``file`` names it."""

    def __init__(self, message, file=None):
        super().__init__(message)
        self.file = file


class NotFoundError(MldbError, LookupError):
    """An experiment, series or file that was asked for does not exist."""

    def __init__(self, message, what, key):
        super().__init__(message)
        self.what = what
        self.key = key


class ValidationError(MldbError, ValueError):
    """A value given to the API is not acceptable; nothing was written."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class FilterSyntaxError(ValidationError):
    """A ``where`` filter or ``order_by`` could not be parsed; ``column`` is 1-based
    (in Unicode code points, as every client counts) and ``filter`` is the text at fault.
    ``field`` says which: an order_by's message ends "of sort key: ...", as in TypeScript,
    so ``mldb ls --sort lr`` does not speak of a filter the user never wrote."""

    def __init__(self, message, filter, column, field="where"):
        what = "sort key" if field == "order_by" else "filter"
        super().__init__("%s at column %d of %s: %s" % (message, column, what, filter), field)
        self.filter = filter
        self.column = column


class SchemaVersionError(MldbError):
    """The file was written by a newer mldb, or is an SQLite file that is not mldb's."""

    def __init__(self, message, found, supported):
        super().__init__(message)
        self.found = found
        self.supported = supported


class DatabaseError(MldbError):
    """The file is not an SQLite database, or SQLite failed in a way the user must see."""

    def __init__(self, message, sql=None):
        super().__init__(message)
        self.sql = sql


class SqliteFailure(DatabaseError):
    """SQLite itself failed: the disk is full, the file stayed locked, is read-only,
    gave an I/O error or is damaged. ``code`` keeps SQLite's result code
    (``'SQLITE_FULL'``, ``'SQLITE_IOERR_SHORT_READ'``, ...); the message says what
    to do. The call that raised it wrote nothing. Mirrors src/errors.ts."""

    def __init__(self, message, code, sql=None):
        super().__init__(message, sql)
        self.code = code


class DiskFullError(SqliteFailure):
    """SQLITE_FULL: the disk (or quota) holding the database is full."""


class DatabaseBusyError(SqliteFailure):
    """SQLITE_BUSY/LOCKED: another process kept the database locked past the busy timeout and its retries."""


class ReadOnlyDatabaseError(SqliteFailure):
    """SQLITE_READONLY (or CANTOPEN on a read-only mount): the file, its -wal/-shm files or its folder cannot be written."""


class DatabaseIoError(SqliteFailure):
    """SQLITE_IOERR: the operating system failed a read or write (or the -wal vanished)."""


class CorruptDatabaseError(SqliteFailure):
    """SQLITE_CORRUPT/NOTADB: the file is damaged or not a database."""
