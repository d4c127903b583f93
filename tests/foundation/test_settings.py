from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import Settings


def test_defaults_run_on_a_local_sqlite_file_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BREAKOUTS_ENVIRONMENT", "BREAKOUTS_DATABASE_URL", "BREAKOUTS_SECRET_KEY", "BREAKOUTS_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.environment == "development"
    assert settings.database_url == "sqlite+aiosqlite:///var/breakouts.db"
    assert settings.redis_url is None


@pytest.mark.parametrize("environment", ["production", "test"])
@pytest.mark.parametrize("secret", ["", "changeme", "development-only-secret"])
def test_placeholder_secret_is_refused_outside_development(environment: str, secret: str) -> None:
    with pytest.raises(ValidationError, match="BREAKOUTS_SECRET_KEY"):
        Settings(environment=environment, secret_key=secret)


def test_environment_variables_use_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BREAKOUTS_ENVIRONMENT", "production")
    monkeypatch.setenv("BREAKOUTS_SECRET_KEY", "a-real-secret-from-the-operator-0123456789")
    monkeypatch.setenv("BREAKOUTS_DATABASE_URL", "postgresql://app@db:5432/breakouts")
    monkeypatch.setenv("BREAKOUTS_REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("BREAKOUTS_ALLOWED_ORIGINS", '["https://consult.example.org"]')
    monkeypatch.setenv("BREAKOUTS_PUBLIC_BASE_URL", "https://consult.example.org/")
    settings = Settings()
    assert settings.database_url == "postgresql+asyncpg://app@db:5432/breakouts"
    assert settings.redis_url == "redis://cache:6379/0"
    assert settings.allowed_origins == ["https://consult.example.org"]
    assert settings.public_base_url == "https://consult.example.org"
