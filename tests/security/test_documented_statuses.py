"""Finding: the API answered statuses its published schema did not list (400 for a body that
cannot be parsed, 403 for a cross-site request, 415 for another content type, 429 on sign-in and
join), and 405 answers named only the methods of the first route that matched. The document lists
them, and a method an API path does not list gets 405 with exactly the methods it does list. The
schemathesis run (test_schemathesis.py) checks every status it observes against the document."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.api_statuses import PathMethods
from tests.world import new_meeting, signed_in_organiser


async def test_the_document_lists_the_statuses_no_route_declares(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if "requestBody" in operation:
                assert {"400", "415"} <= statuses, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert "403" in statuses and "another site" in operation["responses"]["403"]["description"], (
                    method,
                    path,
                )
    assert "429" in paths["/api/auth/login"]["post"]["responses"]
    assert "429" in paths["/api/join"]["post"]["responses"]
    assert "429" in paths["/api/invites/{token}/open"]["post"]["responses"]


async def test_an_unparseable_body_is_a_documented_400(client: httpx.AsyncClient) -> None:
    # Bytes that are not UTF-8 cannot be read as JSON at all (broken JSON text is a 422).
    broken = await client.post(
        "/api/join", content=b'{"code": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400, broken.text
    assert set(broken.json()) == {"code", "message", "details"}


async def test_a_method_a_path_does_not_list_gets_405_with_exactly_its_methods(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    meeting = await new_meeting_as_organiser(app, client)
    cases = {
        ("GET", "/api/join"): "POST",  # the browser app's catch-all answered 404
        ("OPTIONS", "/api/meetings"): "GET, HEAD, POST",  # only the first route's POST was named
        ("DELETE", f"/api/meetings/{meeting}"): "GET, HEAD, PATCH",
        ("PATCH", "/api/meetings/import"): "POST",  # not the meeting whose id is "import"
        ("PUT", f"/api/meetings/{meeting}/rooms"): "GET, HEAD, POST",
    }
    for (method, path), allow in cases.items():
        answer = await client.request(method, path)
        assert answer.status_code == 405, (method, path, answer.text)
        assert answer.headers["allow"] == allow, (method, path)
        assert answer.json()["code"] == "method_not_allowed"
    assert (await client.get("/api/no-such-thing")).status_code == 404
    assert (await client.get(f"/api/meetings/{meeting}")).status_code == 200


async def test_the_guard_allows_exactly_the_methods_the_document_lists(app: FastAPI, client: httpx.AsyncClient) -> None:
    # The guard reads the routes the document is generated from; for every documented path (its
    # template as a request path), it allows what the document lists there, and nothing else.
    paths = (await client.get("/openapi.json")).json()["paths"]
    guard = PathMethods(app.routes)
    for template, operations in paths.items():
        documented = {method.upper() for method in operations if method != "parameters"}
        if "GET" in documented:
            documented.add("HEAD")
        assert guard.allowed(template) == documented, template
    assert len(paths) > 50
    assert guard.allowed("/api/no-such-thing") is None


async def new_meeting_as_organiser(app: FastAPI, client: httpx.AsyncClient) -> str:
    await signed_in_organiser(app, client)
    return str((await new_meeting(client))["id"])
