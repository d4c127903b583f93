"""Raised hands over the socket: the room's staff see who, the room's peers only ids, nobody else anything."""

from __future__ import annotations

import pytest

from app.client.connection import CommandRefused, Event, LiveClient
from app.realtime.eventlog import room_stream
from tests.realtime.people import world
from tests.realtime.server import LiveServer


def _drain(client: LiveClient) -> list[Event]:
    events = []
    while not client.events.empty():
        events.append(client.events.get_nowait())
    return events


async def test_a_raised_hand_reaches_the_room_staff_with_a_name_and_peers_without(live_server: LiveServer) -> None:
    async with world(live_server) as w:
        room_a, room_b = await w.add_room("Room A"), await w.add_room("Room B")
        await w.to_phase("lobby", "plenary", "breakouts")
        amina = await w.join("participant", room_a, name="Amina")
        chen = await w.join("participant", room_a, name="Chen")
        bilal = await w.join("participant", room_b, name="Bilal")
        moderator_a = await w.join("moderator", room_a, name="Moderator A")
        moderator_b = await w.join("moderator", room_b, name="Moderator B")
        amina_c, chen_c, bilal_c = await w.client(amina), await w.client(chen), await w.client(bilal)
        mod_a, mod_b = await w.client(moderator_a), await w.client(moderator_b)

        hand = await amina_c.command("hand.raise", room_id=room_a)
        assert (hand["name"], hand["status"]) == ("Amina", "raised")
        with pytest.raises(CommandRefused) as refused:
            await amina_c.command("hand.raise", room_id=room_a)
        assert refused.value.code == "hand_already_raised"
        # Another room's moderator and a peer may neither handle nor lower it.
        for client, command in ((mod_b, "hand.answer"), (mod_b, "hand.acknowledge"), (chen_c, "hand.lower")):
            with pytest.raises(CommandRefused) as refused:
                await client.command(command, hand_id=hand["id"])
            assert refused.value.code == "forbidden"
        await mod_a.command("hand.acknowledge", hand_id=hand["id"])
        await mod_a.command("hand.answer", hand_id=hand["id"])
        for client in (amina_c, chen_c, bilal_c, mod_a, mod_b):
            await client.ping()  # every event of the commands has arrived after the pong

        staff_seen = [event for event in _drain(mod_a) if event.type.startswith("hand.")]
        assert [(event.type, event.data["hand"]["name"]) for event in staff_seen] == [
            ("hand.raised", "Amina"),
            ("hand.acknowledged", "Amina"),
            ("hand.answered", "Amina"),
        ]
        assert {event.stream for event in staff_seen} == {room_stream(room_a)}
        for peer in (amina_c, chen_c):
            seen = [event for event in _drain(peer) if event.type.startswith("hand.")]
            assert [(event.data["hand_id"], event.data["status"], event.data["hand"]) for event in seen] == [
                (hand["id"], "raised", None),
                (hand["id"], "acknowledged", None),
                (hand["id"], "answered", None),
            ]
            assert "Amina" not in str([event.data for event in seen])
        for outsider in (bilal_c, mod_b):
            assert [event for event in _drain(outsider) if event.type.startswith("hand.")] == []
