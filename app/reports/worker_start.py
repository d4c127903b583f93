"""The export worker's first step: a lower CPU priority, taken before it imports anything heavy.

The worker process starts with the first export (``spawn``) and then imports the report code
(numpy, scipy, SQLAlchemy, python-docx: over a second of CPU). The pool runs its initializer
before it unpickles the first task, so with the initializer in this light module that import
already runs at the worker's lower priority, and on a shared core the sockets come first.
"""

from __future__ import annotations

import os

WORKER_NICENESS = 10


def lower_priority() -> None:
    os.nice(WORKER_NICENESS)
