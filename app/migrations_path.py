"""Where the Alembic configuration lives, and a programmatic upgrade used by the CLI and tests."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent
ALEMBIC_INI = ROOT / "alembic.ini"


def alembic_config(url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def _in_own_thread(function: Callable[[Config, str], None], url: str, revision: str) -> None:
    """Alembic's async env runs its own event loop, so it must not run on a thread that has one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="alembic") as pool:
        pool.submit(function, alembic_config(url), revision).result()


def upgrade(url: str, revision: str = "head") -> None:
    _in_own_thread(command.upgrade, url, revision)


def downgrade(url: str, revision: str = "base") -> None:
    _in_own_thread(command.downgrade, url, revision)
