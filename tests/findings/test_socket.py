"""The socket door calls the same services as REST, with the same validation and authorisation."""

from __future__ import annotations

import uuid

import pytest

from app.auth.access import Actor
from app.errors import Conflict, Forbidden, InvalidInput
from app.findings.socket import SOCKET_COMMANDS
from app.realtime.eventlog import room_stream
from app.realtime.outbox import unit_of_work
from app.realtime.protocol import (
    FindingConfirm,
    FindingDraft,
    FindingEdit,
    FindingEndorse,
    FindingPropose,
    FindingView,
)
from tests.findings.scene import Scene

FindingCommand = FindingDraft | FindingEdit | FindingPropose | FindingEndorse | FindingConfirm


async def _run(scene: Scene, who: uuid.UUID, command: FindingCommand) -> FindingView:
    kind = command.type
    async with unit_of_work(scene.state.database.write_sessions, scene.state.bus) as uow:
        result = await SOCKET_COMMANDS[kind](uow, Actor(participant_id=who), command)
    assert isinstance(result, FindingView)
    return result


async def test_the_whole_flow_over_socket_commands(scene: Scene) -> None:
    moderator, participant = scene.moderator_a.id, scene.participant_a.id
    draft = await _run(
        scene,
        moderator,
        FindingDraft(id="c1", type="finding.draft", room_id=scene.room_a, text="Victims", answer_ids=[scene.answer_a]),
    )
    finding_id = draft.id
    edited = await _run(
        scene,
        moderator,
        FindingEdit(id="c2", type="finding.edit", finding_id=finding_id, text="Victims, not criminals"),
    )
    await _run(scene, moderator, FindingPropose(id="c3", type="finding.propose", finding_id=finding_id))
    endorsed = await _run(scene, participant, FindingEndorse(id="c4", type="finding.endorse", finding_id=finding_id))
    confirmed = await _run(scene, moderator, FindingConfirm(id="c5", type="finding.confirm", finding_id=finding_id))

    assert (draft.status, edited.text, endorsed.endorsements, confirmed.status) == (
        "draft",
        "Victims, not criminals",
        1,
        "confirmed",
    )
    assert edited.answer_ids == [scene.answer_a]
    rest = (await scene.participant_a.http.get(f"/api/findings/{finding_id}")).json()
    assert rest["status"] == "confirmed"
    types = [event.type for event in await scene.events(room_stream(scene.room_a))]
    assert types == ["finding.drafted", "finding.edited", "finding.proposed", "finding.endorsed", "finding.confirmed"]


async def test_socket_commands_are_refused_like_rest(scene: Scene) -> None:
    with pytest.raises(InvalidInput, match="text"):
        await _run(
            scene, scene.moderator_a.id, FindingDraft(id="c1", type="finding.draft", room_id=scene.room_a, text="   ")
        )
    with pytest.raises(InvalidInput, match="answer_ids"):
        await _run(
            scene,
            scene.moderator_a.id,
            FindingDraft(id="c2", type="finding.draft", room_id=scene.room_a, text="x", answer_ids=[scene.answer_b]),
        )
    with pytest.raises(Forbidden):
        await _run(
            scene, scene.participant_a.id, FindingDraft(id="c3", type="finding.draft", room_id=scene.room_a, text="x")
        )
    draft = await _run(
        scene, scene.moderator_a.id, FindingDraft(id="c4", type="finding.draft", room_id=scene.room_a, text="x")
    )
    with pytest.raises(Conflict, match="propose"):
        await _run(scene, scene.moderator_a.id, FindingConfirm(id="c5", type="finding.confirm", finding_id=draft.id))
    assert [event.type for event in await scene.events(room_stream(scene.room_a))] == ["finding.drafted"]
