"""The seed's experiment names."""

from datetime import datetime

from .validate import check_exp_name


def exp_name(prefix, date=None):
    """Local time as ``YYYYMMDD_HHMMSS_<prefix>``: ``exp_name('TestModel')`` ->
    ``'20260803_091702_TestModel'``."""
    return check_exp_name((date or datetime.now()).strftime("%Y%m%d_%H%M%S_") + str(prefix))
