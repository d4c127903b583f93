"""The projector link's socket: the meeting stream only, with nothing personal and no staff
payload; every command refused; revoking the link closes it (4403) and its tickets stop working."""

from __future__ import annotations

import json

from tests.realtime.people import world
from tests.realtime.raw import frames_until, raw_socket
from tests.realtime.server import LiveServer


async def test_the_projector_socket_follows_the_meeting_stream_only_and_closes_when_revoked(
    live_server: LiveServer,
) -> None:
    async with world(live_server) as w:
        room = await w.add_room("Room 1")
        amina = await w.join("participant", room, name="Amina Rahman")
        link = await w.organiser.http.post(f"/api/meetings/{w.meeting_id}/projector-link")
        assert link.status_code == 201, link.text
        token = link.json()["url"].rsplit("/", 1)[1]
        screen = await w.http()
        made = await screen.post(f"/api/projector/{token}/tickets")
        assert made.status_code == 201, made.text
        socket = await raw_socket(w, amina, ticket=made.json()["ticket"])
        opening = await frames_until(socket, "welcome")
        assert opening[-1]["streams"] == [f"meeting:{w.meeting_id}"]
        assert opening[-1]["participant_id"] is None

        command = {
            "type": "broadcast.send",
            "id": "b1",
            "meeting_id": str(w.meeting_id),
            "message": "From the projector",
        }
        await socket.send(json.dumps(command))
        refused = await frames_until(socket, "error")
        assert (refused[-1]["ref"], refused[-1]["code"]) == ("b1", "not_found")
        listed = await w.organiser.http.get(f"/api/meetings/{w.meeting_id}/broadcasts")
        assert listed.json() == []

        sent = await w.organiser.http.post(f"/api/meetings/{w.meeting_id}/broadcasts", json={"message": "Coffee"})
        assert sent.status_code == 201, sent.text
        events = await frames_until(socket, "broadcast.sent")
        assert events[-1]["data"]["broadcast"]["message"] == "Coffee"
        assert "Amina Rahman" not in json.dumps(events)

        revoked = await w.organiser.http.delete(f"/api/meetings/{w.meeting_id}/projector-link")
        assert revoked.status_code == 204
        await socket.wait_closed()
        assert socket.close_code == 4403
        again = await screen.post(f"/api/projector/{token}/tickets")
        assert again.status_code == 404
        assert again.json()["code"] == "projector_link_invalid"
