"""Writes the server's OpenAPI component schemas to frontend/src/api/openapi.json.

Run from the repository root with the project's virtualenv (``npm run api:export`` does):
the REST types in src/api/generated.ts are compiled from that file, and the browser test
``tests/browser/test_api_schema.py`` fails when it no longer matches what the server serves.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.main import create_app
from app.settings import Settings


def components() -> dict[str, object]:
    settings = Settings(environment="test", secret_key="schema-export-only-" + "x" * 32)
    spec = create_app(settings).openapi()
    return {"components": {"schemas": spec["components"]["schemas"]}}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.write_text(json.dumps(components(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}")
