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
    (in UTF-16 units, as TypeScript counts) and ``filter`` is the text at fault."""

    def __init__(self, message, filter, column):
        super().__init__("%s at column %d of filter: %s" % (message, column, filter), "where")
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
