"""ASGI entry point for process managers: ``uvicorn --factory app.asgi:create_from_environment``."""

from __future__ import annotations

from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings


def create_from_environment() -> FastAPI:
    """Build the app from ``BREAKOUTS_*`` environment variables (each worker builds its own)."""
    return create_app(Settings())
