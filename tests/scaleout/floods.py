"""An answer flood that survives the clients' server process going away: a client whose socket
closes waits for ``reroute`` to say where to reconnect (another process, or the same one
restarted), reconnects there and resends what was not acknowledged (with the same command ids,
so nothing is stored twice); and a tally of what the database holds of it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.answers.models import Answer
from app.client.connection import LiveClient
from app.database import create_database
from tests.scaleout.cluster import Scene


@dataclass
class Flood:
    scene: Scene
    answers_each: int
    acked: set[str] = field(default_factory=set)
    reconnected: list[str] = field(default_factory=list)
    acks_seen: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def run(self, client: LiveClient, reroute: Callable[[LiveClient], Awaitable[None]]) -> None:
        for index in range(self.answers_each):
            command_id = f"{client.name}-answer-{index}"
            pending = await client.submit(
                "answer.submit",
                id=command_id,
                room_id=self.scene.room_id,
                question_id=self.scene.question_id,
                text=f"answer {index} from {client.name}",
            )
            while not pending.answer.done():
                closed = asyncio.create_task(client.wait_closed(wait_s=120))
                await asyncio.wait({pending.answer, closed}, return_when=asyncio.FIRST_COMPLETED)
                closed.cancel()
                if not pending.answer.done():  # its process went away: reconnect elsewhere
                    await reroute(client)
                    await client.reconnect()  # resends every unacknowledged command
                    self.reconnected.append(client.name)
            pending.answer.result()
            async with self.acks_seen:
                self.acked.add(command_id)
                self.acks_seen.notify_all()

    async def until_acked(self, count: int) -> None:
        async with self.acks_seen:
            await self.acks_seen.wait_for(lambda: len(self.acked) >= count)


async def answer_in_turn(clients: list[LiveClient], scene: Scene, answers_each: int) -> None:
    """Each client in turn sends ``answers_each`` answers (ids ``<client>-<n>``), each acknowledged
    before the next is sent."""
    for client in clients:
        for index in range(answers_each):
            await client.command(
                "answer.submit",
                id=f"{client.name}-{index}",
                room_id=scene.room_id,
                question_id=scene.question_id,
                text=f"answer {index}",
            )


@dataclass(frozen=True)
class Tally:
    acked: int
    stored_of_acked: int
    lost: int
    duplicates: int
    stored_not_asked: int

    def line(self) -> str:
        return (
            f"acked={self.acked} stored_of_acked={self.stored_of_acked}/{self.acked} "
            f"lost={self.lost} duplicates={self.duplicates}"
        )


async def tally(database_url: str, room_id: str, acked: set[str]) -> Tally:
    """What the database holds of the flood's answers, by command id."""
    database = create_database(database_url)
    try:
        async with database.reading() as session:
            rows = (
                await session.execute(
                    select(Answer.client_id, func.count())
                    .where(Answer.room_id == uuid.UUID(room_id))
                    .group_by(Answer.client_id)
                )
            ).all()
    finally:
        await database.dispose()
    stored: dict[str, int] = {client_id: count for client_id, count in rows}
    stored_of_acked = sum(1 for command_id in acked if stored.get(command_id, 0) >= 1)
    return Tally(
        acked=len(acked),
        stored_of_acked=stored_of_acked,
        lost=len(acked) - stored_of_acked,
        duplicates=sum(count - 1 for count in stored.values()),
        stored_not_asked=len(set(stored) - acked),
    )
