from __future__ import annotations

import itertools

import httpx
import pytest
from fastapi import FastAPI

from app.meetings.phases import ALLOWED_TRANSITIONS
from app.vocabulary import Phase
from tests.world import new_meeting, signed_in_organiser

# The shortest way from draft to each phase, to reach a starting point through the API.
PATH_TO = {
    Phase.DRAFT: [],
    Phase.LOBBY: [Phase.LOBBY],
    Phase.PLENARY: [Phase.LOBBY, Phase.PLENARY],
    Phase.BREAKOUTS: [Phase.LOBBY, Phase.PLENARY, Phase.BREAKOUTS],
    Phase.REPORT_BACK: [Phase.LOBBY, Phase.PLENARY, Phase.BREAKOUTS, Phase.REPORT_BACK],
    Phase.CLOSED: [Phase.LOBBY, Phase.PLENARY, Phase.CLOSED],
}


def test_every_phase_is_reachable_and_closed_is_final() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(Phase)
    assert ALLOWED_TRANSITIONS[Phase.CLOSED] == ()
    for target, path in PATH_TO.items():
        current = Phase.DRAFT
        for step in path:
            assert step in ALLOWED_TRANSITIONS[current]
            current = step
        assert current is target


@pytest.mark.parametrize(("source", "target"), list(itertools.product(Phase, Phase)))
async def test_phase_machine_over_http(app: FastAPI, client: httpx.AsyncClient, source: Phase, target: Phase) -> None:
    await signed_in_organiser(app, client)
    meeting = await new_meeting(client)
    url = f"/api/meetings/{meeting['id']}/phase"
    for step in PATH_TO[source]:
        assert (await client.post(url, json={"phase": step})).status_code == 200

    response = await client.post(url, json={"phase": target})

    if target in ALLOWED_TRANSITIONS[source]:
        assert response.status_code == 200, response.text
        assert response.json()["phase"] == target
    else:
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "phase_not_allowed"
        assert body["details"]["allowed"] == [p.value for p in ALLOWED_TRANSITIONS[source]]
        for allowed in ALLOWED_TRANSITIONS[source]:
            assert allowed.value in body["message"]
        current = (await client.get(f"/api/meetings/{meeting['id']}")).json()["phase"]
        assert current == source
