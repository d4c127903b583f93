"""The interactive API docs at ``/docs``, served by the server itself.

Swagger UI's script and styles come from the ``fastapi-offline`` package (its ``static`` folder:
Swagger UI 5, which reads OpenAPI 3.1), under ``/docs/assets/``; the page and its start-up script
are ours, because the policy every response carries (``app/security_headers.py``) allows no inline
script, no inline style element and no other origin. ReDoc is off: it injects style elements.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

SWAGGER_UI_FILES = Path(fastapi_offline.__file__).resolve().parent / "static"

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
# Start-up script: a file of its own, so that no inline script is needed.
START_SCRIPT_PATH = "/docs/start.js"

START_SCRIPT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
"""


def docs_page(title: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}: API</title>
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="{START_SCRIPT_PATH}"></script>
</body>
</html>
"""


def mount_api_docs(app: FastAPI) -> None:
    """Serve ``/docs``; the app must be built with ``docs_url=None, redoc_url=None``."""
    page = docs_page(app.title)
    app.mount(ASSETS_PATH, StaticFiles(directory=str(SWAGGER_UI_FILES)), name="api-docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"cache-control": "no-cache"})

    @app.get(START_SCRIPT_PATH, include_in_schema=False)
    async def api_docs_start() -> Response:
        return Response(
            START_SCRIPT, media_type="text/javascript; charset=utf-8", headers={"cache-control": "no-cache"}
        )
