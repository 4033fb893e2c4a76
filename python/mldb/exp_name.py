"""The seed's experiment names."""

from datetime import datetime

from .validate import check_exp_name


def exp_name(prefix, date=None):
    """Local time as ``YYYYMMDD_HHMMSS_<prefix>``: ``exp_name('TestModel')`` ->
    ``'20260803_091702_TestModel'``."""
    return check_exp_name((date or datetime.now()).strftime("%Y%m%d_%H%M%S_") + str(prefix))


def first_free_name(base, taken):
    """``base`` if no experiment has that name, else ``base_2``, ``base_3``, ...: how a run
    started without a name gets a unique one (as TypeScript's firstFreeName). Called
    inside the write that inserts it, so runs started in the same second cannot collide."""
    if not taken(base):
        return base
    i = 2
    while True:
        name = check_exp_name("%s_%d" % (base, i))
        if not taken(name):
            return name
        i += 1
