"""What every peer server does with a command, so that all of them send the same bytes.

A client connects to ``/ws?room=<n>`` (``room=all``: an organiser watching every room) and sends
``{"type": "answer.submit", "id": …, "room": n, "text": …}``. The server numbers it in the room's
stream and sends every member of the room and every watcher the same event frame that Breakouts
sends for ``answer.submitted`` (same fields, same sizes), then acknowledges the sender.
"""

from __future__ import annotations

import argparse
import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

ALL_ROOMS = "all"
NAMESPACE = uuid.UUID("8d3c1f2e-7a55-4b1e-9c0d-2f6a4b8e1c37")


def room_uuid(room: int | str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"room-{room}"))


QUESTION_ID = str(uuid.uuid5(NAMESPACE, "question"))


class Rooms:
    """The streams' numbering and the answer counts, per room."""

    def __init__(self) -> None:
        self.seqs: dict[int, int] = {}

    def event(self, command: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The room and the event frame for one ``answer.submit``."""
        room = int(command["room"])
        seq = self.seqs[room] = self.seqs.get(room, 0) + 1
        at = datetime.now(UTC).isoformat()
        room_id, answer_id = room_uuid(room), str(uuid.uuid4())
        view = {
            "id": answer_id,
            "room_id": room_id,
            "question_id": QUESTION_ID,
            "text": command["text"],
            "choice_ids": None,
            "scale_value": None,
            "author": None,
            "author_id": None,
            "hidden": False,
            "pinned": False,
            "merged_into_id": None,
            "source_ids": [],
            "votes": 0,
            "created_at": at,
            "updated_at": at,
            "mine": False,
            "voted": False,
        }
        data = {"room_id": room_id, "question_id": QUESTION_ID, "answer_id": answer_id, "answer": view, "count": seq}
        return room, {"type": "answer.submitted", "stream": f"room:{room_id}", "seq": seq, "at": at, "data": data}


def ack_text(command_id: str) -> str:
    return json.dumps({"type": "ack", "ref": command_id, "result": None})


def room_of_query(query: str) -> str:
    """``"all"`` or the room's number, from ``room=…`` in the query string."""
    return parse_qs(query).get("room", [ALL_ROOMS])[0]


def port_argument() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rooms", type=int, default=20, help="rooms a watcher follows (socketify subscribes by name)")
    return parser.parse_args()
