"""Raised hands: a participant asks their room's moderator for help, on their phone.

Who may do what:
- raise a hand: a participant seated in the room, while the breakout rooms are open; one hand
  up per person (409 ``hand_already_raised``);
- lower it: its owner (``lowered``); a move out of the room and the rooms closing lower it too;
- mark it "being handled" (``acknowledged``) and answer it (``answered``, the hand goes down):
  the room's moderators and the organisers; moderators of other rooms may not;
- read the hands up in a room: its staff see all of them with names; a participant sees only
  their own.

The events travel on the room's stream: the room's staff get the hand (name, time), its
participants only the hand's id and status, so a phone follows its own hand and nobody learns
whose hand another is.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Actor, MeetingAccess, meeting_access, room_access
from app.database import utcnow
from app.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from app.hands import repository
from app.hands.models import RaisedHand
from app.hands.schemas import RaisedHandRead
from app.participants import repository as participants_repository
from app.participants.models import Participant
from app.realtime.eventlog import room_stream
from app.realtime.outbox import UnitOfWork
from app.realtime.protocol import HandChanged
from app.vocabulary import HandStatus, Phase, Role

OPEN_STATUSES = (HandStatus.RAISED, HandStatus.ACKNOWLEDGED)


def hand_read(hand: RaisedHand, owner: Participant) -> RaisedHandRead:
    name = owner.pseudonym if owner.erased_at is not None else owner.display_name
    return RaisedHandRead(
        id=hand.id,
        room_id=hand.room_id,
        participant_id=hand.participant_id,
        name=name,
        status=HandStatus(hand.status),
        created_at=hand.created_at,
        acknowledged_at=hand.acknowledged_at,
        lowered_at=hand.lowered_at,
    )


async def _emit(uow: UnitOfWork, hand: RaisedHand, owner: Participant) -> RaisedHandRead:
    read = hand_read(hand, owner)
    status = HandStatus(hand.status)
    peers = HandChanged(hand_id=hand.id, room_id=hand.room_id, status=status, hand=None)
    staff = HandChanged(hand_id=hand.id, room_id=hand.room_id, status=status, hand=read)
    await uow.emit(room_stream(hand.room_id), hand.meeting_id, f"hand.{status}", peers, staff)
    return read


async def raise_hand(uow: UnitOfWork, actor: Actor | None, room_id: uuid.UUID) -> RaisedHandRead:
    access, room = await room_access(uow.session, actor, room_id)
    if access.participant is None or access.role is not Role.PARTICIPANT:
        raise Forbidden("only the room's participants raise a hand; moderators call the organisers for help")
    # The person's row, locked until commit: two taps or two devices raise one hand.
    owner = (await participants_repository.lock_participants(uow.session, [access.participant.id])).get(
        access.participant.id
    )
    if owner is None or owner.room_id != room.id:
        raise Forbidden("this room is not yours")
    if access.meeting.phase != Phase.BREAKOUTS:
        raise Conflict("hands are raised in the breakout rooms while they are open", code="wrong_phase")
    pending = await repository.open_hand_of(uow.session, owner.id)
    if pending is not None:
        raise Conflict(
            "your hand is already raised; your moderator will come to you",
            code="hand_already_raised",
            details={"hand_id": str(pending.id)},
        )
    hand = RaisedHand(
        meeting_id=room.meeting_id,
        room_id=room.id,
        participant_id=owner.id,
        open_participant_id=owner.id,
        status=HandStatus.RAISED,
    )
    uow.session.add(hand)
    await uow.session.flush()
    return await _emit(uow, hand, owner)


async def _open_hand(uow: UnitOfWork, actor: Actor | None, hand_id: uuid.UUID) -> tuple[RaisedHand, MeetingAccess]:
    if actor is None:
        raise NotAuthenticated("sign in or open your invite link first")
    hand = await repository.hand_for_update(uow.session, hand_id)
    if hand is None:
        raise NotFound("hand not found")
    try:
        access = await meeting_access(uow.session, actor, hand.meeting_id)
    except NotFound:
        raise NotFound("hand not found") from None
    return hand, access


def _require_open(hand: RaisedHand) -> None:
    if hand.status not in OPEN_STATUSES:
        raise Conflict("this hand is down already", code="hand_down")


async def _owner(uow: UnitOfWork, hand: RaisedHand) -> Participant:
    owner = await uow.session.get(Participant, hand.participant_id)
    assert owner is not None  # a hand goes with its owner (ON DELETE CASCADE)
    return owner


async def _close(uow: UnitOfWork, hand: RaisedHand, status: HandStatus) -> RaisedHandRead:
    hand.status = status
    hand.lowered_at = utcnow()
    hand.open_participant_id = None
    return await _emit(uow, hand, await _owner(uow, hand))


async def lower_hand(uow: UnitOfWork, actor: Actor | None, hand_id: uuid.UUID) -> RaisedHandRead:
    """The owner takes their hand down."""
    hand, access = await _open_hand(uow, actor, hand_id)
    if access.participant is None or access.participant.id != hand.participant_id:
        if access.moderates(hand.room_id):
            raise Forbidden("only its owner lowers a hand; answer it instead")
        raise Forbidden("this hand is not yours")
    _require_open(hand)
    return await _close(uow, hand, HandStatus.LOWERED)


async def acknowledge_hand(uow: UnitOfWork, actor: Actor | None, hand_id: uuid.UUID) -> RaisedHandRead:
    """The room's staff tell the owner that someone is on it ("being handled")."""
    hand, access = await _open_hand(uow, actor, hand_id)
    access.require_room_moderation(hand.room_id)
    _require_open(hand)
    if hand.status == HandStatus.ACKNOWLEDGED:
        raise Conflict("this hand is being handled already", code="hand_acknowledged")
    hand.status = HandStatus.ACKNOWLEDGED
    hand.acknowledged_at = utcnow()
    return await _emit(uow, hand, await _owner(uow, hand))


async def answer_hand(uow: UnitOfWork, actor: Actor | None, hand_id: uuid.UUID) -> RaisedHandRead:
    """The room's staff are done with it: the hand goes down."""
    hand, access = await _open_hand(uow, actor, hand_id)
    access.require_room_moderation(hand.room_id)
    _require_open(hand)
    return await _close(uow, hand, HandStatus.ANSWERED)


async def lower_hands(
    uow: UnitOfWork, *, meeting_id: uuid.UUID | None = None, participant_id: uuid.UUID | None = None
) -> int:
    """Take down the hands up in the meeting (the rooms closed) or the person's (they left the
    room), each with its ``hand.lowered``; returns how many."""
    rows = await repository.open_hands(uow.session, meeting_id=meeting_id, participant_id=participant_id)
    for hand, _ in rows:
        await _close(uow, hand, HandStatus.LOWERED)
    return len(rows)


async def list_hands(session: AsyncSession, actor: Actor | None, room_id: uuid.UUID) -> list[RaisedHandRead]:
    """The hands up in the room: all of them for its staff, the caller's own for a participant."""
    access, room = await room_access(session, actor, room_id)
    if access.moderates(room.id):
        rows = await repository.open_hands(session, room_id=room.id)
    elif access.role is Role.PARTICIPANT and access.participant is not None and access.room_id == room.id:
        rows = await repository.open_hands(session, room_id=room.id, participant_id=access.participant.id)
    else:
        raise Forbidden("only the room's staff and participants see its raised hands")
    return [hand_read(hand, owner) for hand, owner in rows]


async def room_hands(session: AsyncSession, room_id: uuid.UUID) -> list[RaisedHandRead]:
    """Every hand up in the room, for its staff's snapshot."""
    return [hand_read(hand, owner) for hand, owner in await repository.open_hands(session, room_id=room_id)]
