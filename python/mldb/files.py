"""File pointers: what is recorded about a file on disk (as src/api/files.ts)."""

import hashlib
import os

from .errors import NotFoundError, ValidationError
from .validate import describe

#: The kinds of file a pointer may have.
FILE_KINDS = ("model", "checkpoint", "image", "plot", "data", "other")


def check_kind(kind):
    """A file kind; None means 'other'."""
    if kind is None:
        return "other"
    if not isinstance(kind, str) or kind not in FILE_KINDS:
        shown = repr(kind) if isinstance(kind, str) else describe(kind)
        raise ValidationError("file kind %s is not one of %s" % (shown, ", ".join(FILE_KINDS)), "kind")
    return kind


def stat_file(path):
    """``(absolute path, size, mtime in ms)`` of a file that must exist now."""
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str) or path.strip() == "":
        raise ValidationError("file path must be a non-empty string, got %s" % (describe(path),), "path")
    if "\x00" in path:
        raise ValidationError("file path must not contain a NUL character, got %r" % (path,), "path")
    full = os.path.abspath(path)
    try:
        st = os.stat(full)
    except UnicodeEncodeError:
        # a lone surrogate outside surrogateescape's range names no file the system can hold
        raise ValidationError("file path %s cannot be encoded as a file name (a lone UTF-16 surrogate?)" % describe(path), "path") from None
    except OSError:
        raise NotFoundError("file %s does not exist; write the file before recording it" % full, "file", full) from None
    if not os.path.isfile(full):
        raise ValidationError("%s is not a regular file; record files, not folders" % full, "path")
    # The real path, symlinks resolved, as the TypeScript client stores it: the
    # dashboard serves a file only where its recorded path is still its real path.
    return os.path.realpath(full), st.st_size, mtime_ms(st)


def sha256_file(path):
    """sha256 of a file, read in 1 MiB chunks so model weights do not fill memory."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def mtime_ms(st):
    """Modification time in whole ms, rounded half up from the nanoseconds, exactly
    as the TypeScript client computes it (src/api/files.ts)."""
    return (st.st_mtime_ns + 500_000) // 1_000_000
