"""The garbage collector of a serving process, tuned for many long-lived sockets.

CPython's full collections walk every tracked object. After start-up most of those are the
imported code and its tables (SQLAlchemy, pydantic, FastAPI), hundreds of thousands of objects
that live as long as the process; a full collection in the middle of a fan-out then stalls every
socket of the process for tens of milliseconds. ``freeze_startup_heap`` moves them out of the
collector's sight (``gc.freeze``) once the app has started, and spaces the young collections out,
so a pause is proportional to what the sockets themselves hold. Garbage is still collected.

``collection_paused`` holds the cyclic collector off for the length of one CPU-bound computation
that allocates hundreds of thousands of short-lived objects (the plenary merge of a large
meeting): without it, each full collection in the middle walks the whole loaded meeting again,
a third of the merge's time. Reference counting still frees what the computation drops; the
collector runs again when the last such computation ends.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("breakouts.collector")

# Allocations between young collections (CPython's default is 700); the older generations keep
# CPython's default ratios.
YOUNG_THRESHOLD = 10_000

_PAUSE_LOCK = threading.Lock()
_pauses = 0
_resume = False


def freeze_startup_heap() -> None:
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    log.info(
        "garbage collector: %d start-up objects frozen, young threshold %d", gc.get_freeze_count(), YOUNG_THRESHOLD
    )


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nested and concurrent blocks included); the
    collector is enabled again when the last block ends, if it was enabled when the first began."""
    global _pauses, _resume
    with _PAUSE_LOCK:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
