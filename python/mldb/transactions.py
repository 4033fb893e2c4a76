"""The write transactions of one Database connection, by the rule both clients follow
(docs/schema.md, "Transactions"): a write call outside a transaction is its own
``BEGIN IMMEDIATE`` transaction, retried while another process holds the lock and
durable when the call returns; inside ``db.transaction()`` it is a savepoint of it: a
refused call undoes only its own rows, and the transaction's commit makes the rest
durable. The TypeScript client does the same with better-sqlite3's
``transaction().immediate()`` (src/api/database.ts). A transaction sqlite3 opened by
itself for the script's writes through ``db.cursor`` is not joined but refused: the
script never asked for one, and joining would leave every value it logs undurable
until a commit it may never reach."""

import sqlite3

from .connection import with_busy_retry
from .errors import MldbError
from .points import StaleIdError

_SAVEPOINT = "mldb_write"


class Transactions:
    """Runs writes of one connection. ``forget`` drops the ids the connection cached
    (a rolled-back transaction may have created the rows they name); ``after_commit``
    runs after each outermost commit (the WAL guard)."""

    def __init__(self, conn, forget, after_commit):
        self.conn = conn
        self._forget = forget
        self._after_commit = after_commit
        # how many of our own transactions are open: their rollback, not each nested call, forgets the ids
        self.own = 0

    def savepoint(self, fn):
        """Runs fn in a savepoint of the open transaction: undone alone when it raises."""
        conn = self.conn
        conn.execute("SAVEPOINT " + _SAVEPOINT)
        try:
            result = fn()
        except BaseException:
            conn.execute("ROLLBACK TO " + _SAVEPOINT)
            conn.execute("RELEASE " + _SAVEPOINT)
            raise
        conn.execute("RELEASE " + _SAVEPOINT)
        return result

    def refuse_script_transaction(self):
        """Refuses to write inside a transaction that is not one of ours (the script's
        uncommitted writes through ``cursor``)."""
        if self.own == 0:
            raise MldbError(
                "db.cursor has uncommitted changes; call db.commit() (or db.rollback()) before logging with the API,"
                " so each logged value is durable (or write both inside `with db.transaction():`)"
            )

    def write(self, fn):
        """Runs fn as one write: its own transaction, or a savepoint of the open one."""
        conn = self.conn
        if conn.in_transaction:
            self.refuse_script_transaction()
            return self.savepoint(fn)

        def attempt():
            conn.execute("BEGIN IMMEDIATE")
            self.own += 1
            try:
                result = fn()
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._forget()
                raise
            finally:
                self.own -= 1
            self._after_commit()
            return result

        try:
            return with_busy_retry(conn, attempt)
        except StaleIdError:
            # A series id we had cached is gone (its experiment purged): once more, from the names.
            return with_busy_retry(conn, attempt)
        except sqlite3.IntegrityError as e:
            # Another process may have purged an experiment we had cached.
            if "FOREIGN KEY" not in str(e):
                raise
            return with_busy_retry(conn, attempt)

    def begin(self):
        """Opens a transaction of the caller's (db.transaction): BEGIN IMMEDIATE, or a savepoint inside one.
        Returns what end() needs to close it."""
        conn = self.conn
        if conn.in_transaction:
            self.refuse_script_transaction()
            conn.execute("SAVEPOINT " + _SAVEPOINT)
            scope = "savepoint"
        else:
            with_busy_retry(conn, lambda: conn.execute("BEGIN IMMEDIATE"))
            scope = "transaction"
        self.own += 1
        return scope

    def end(self, scope, failed):
        """Commits (or, when ``failed``, rolls back) what begin() opened."""
        kind = scope
        conn = self.conn
        self.own -= 1
        try:
            if kind == "savepoint":
                if failed:
                    conn.execute("ROLLBACK TO " + _SAVEPOINT)
                conn.execute("RELEASE " + _SAVEPOINT)
            elif failed:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            else:
                conn.execute("COMMIT")
                self._after_commit()
        except BaseException:
            failed = True
            if kind == "transaction" and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            if failed:
                # what the rolled-back rows were cached as may be other rows' ids by now
                self._forget()


class Transaction:
    """``with db.transaction():`` — the context manager Database.transaction returns."""

    def __init__(self, db):
        self._db = db
        self._scope = None

    def __enter__(self):
        self._scope = self._db._begin_transaction()
        return self._db

    def __exit__(self, exc_type, exc, tb):
        self._db._end_transaction(self._scope, exc_type is not None)
        return False
