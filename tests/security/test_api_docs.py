"""Finding: `/docs` loaded its scripts from a CDN, with no policy and no integrity. The page and
its assets are served by the server itself (the `fastapi-offline` package), under the same
Content-Security-Policy as every other response; ReDoc, which injects style elements, is off.
The page running in Chromium is tested in tests/browser/test_api_docs.py."""

from __future__ import annotations

import re

import httpx

from app.security_headers import CONTENT_SECURITY_POLICY


async def test_the_docs_page_references_no_other_origin(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "//" not in page.text.replace("<!doctype html>", ""), page.text  # no other origin, no scheme-relative
    assert "<script>" not in page.text.replace(" ", "")  # no inline script: the policy forbids it
    references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert references and all(ref.startswith("/docs/") for ref in references), references
    for reference in references:
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        assert asset.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert len(asset.content) > 0
        if reference.endswith(".js"):
            assert "javascript" in asset.headers["content-type"]
        if reference.endswith(".css"):
            assert asset.headers["content-type"].startswith("text/css")


async def test_redoc_is_off_and_the_docs_are_not_in_the_schema(client: httpx.AsyncClient) -> None:
    assert (await client.get("/redoc")).status_code == 404
    schema = (await client.get("/openapi.json")).json()
    assert not any(path.startswith("/docs") for path in schema["paths"])
