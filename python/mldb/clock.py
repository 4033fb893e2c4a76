"""Wall time as every mldb time column holds it: integer milliseconds since 1970 (UTC)."""

import time


def now_ms():
    """Wall time in integer milliseconds since 1970, as every mldb time column holds."""
    return time.time_ns() // 1_000_000
