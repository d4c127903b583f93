"""The garbage collector of a serving process, tuned for many long-lived sockets.

CPython's full collections walk every tracked object. After start-up most of those are the
imported code and its tables (SQLAlchemy, pydantic, FastAPI), hundreds of thousands of objects
that live as long as the process; a full collection in the middle of a fan-out then stalls every
socket of the process for tens of milliseconds. ``freeze_startup_heap`` moves them out of the
collector's sight (``gc.freeze``) once the app has started, and spaces the young collections out,
so a pause is proportional to what the sockets themselves hold. Garbage is still collected.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger("breakouts.collector")

# Allocations between young collections (CPython's default is 700); the older generations keep
# CPython's default ratios.
YOUNG_THRESHOLD = 10_000


def freeze_startup_heap() -> None:
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    log.info(
        "garbage collector: %d start-up objects frozen, young threshold %d", gc.get_freeze_count(), YOUNG_THRESHOLD
    )
