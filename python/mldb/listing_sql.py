"""The listing statements of ``sql/listing/`` with the SQL the client compiles put in
their slots, as src/store/listing-sql.ts does (docs/schema.md, "Named SQL")."""

import re

from .filter import bind_now
from .sql_files import sql

_SLOT = re.compile(r"@(where|order)\b")


def listing_sql(name, now, **slots):
    """``name``'s text with ``@where`` and ``@order`` replaced by the compiled conditions and
    ORDER BY list (one pass, so nothing a slot brings in is read as a slot), then ``@now``
    by the clock. ``listing_sql('listing/count', now, where='e.deleted_at IS NULL')``"""

    def fill(m):
        if m.group(1) not in slots:
            raise RuntimeError("mldb: %s needs @%s" % (name, m.group(1)))
        return slots[m.group(1)]

    return bind_now(_SLOT.sub(fill, sql(name)), now)
