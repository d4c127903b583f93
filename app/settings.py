"""Settings read from the environment (prefix ``BREAKOUTS_``); built by the caller, never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.database import async_url

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "development-only-secret", "secret"})
DEFAULT_SQLITE_PATH = Path("var") / "breakouts.db"


class Settings(BaseSettings):
    """Everything an operator can set. Unknown ``BREAKOUTS_`` variables are ignored."""

    model_config = SettingsConfigDict(env_prefix="BREAKOUTS_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}"
    redis_url: str | None = None
    secret_key: SecretStr = SecretStr("development-only-secret")
    allowed_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]
    public_base_url: str = "http://127.0.0.1:8000"
    # A working day of a consultation: long enough not to log people out mid-meeting.
    session_ttl_s: int = 12 * 3600
    # Five wrong passwords in a quarter of an hour are throttled per account and per address.
    login_failures_allowed: int = 5
    login_failure_window_s: int = 15 * 60
    # Joining without an account (the meeting code, open invite links), within join_window_s, from
    # one address: attempts, and wrong codes among them; and new roster entries per meeting from
    # anywhere (app/auth/join_throttle.py). A whole venue often shares one address (its Wi-Fi), and
    # a national consultation sees thousands join in the first minutes: the attempts and entries
    # allowed are sized for that; guessing codes is held by the wrong codes allowed.
    join_window_s: int = Field(default=10 * 60, ge=1)
    join_attempts_per_address: int = Field(default=500, ge=1)
    join_wrong_codes_per_address: int = Field(default=20, ge=1)
    join_new_entries_per_meeting: int = Field(default=5000, ge=1)
    static_dir: Path | None = None
    # Freeze the start-up heap out of the garbage collector's full passes (app/collector.py).
    tune_gc: bool = True

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return async_url(value)

    @field_validator("public_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment != "development" and self.secret_key.get_secret_value() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "BREAKOUTS_SECRET_KEY is left at a placeholder; set a long random value outside development"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
