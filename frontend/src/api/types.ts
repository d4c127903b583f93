/**
 * The shapes of the REST answers the shell uses, as the server defines them in its pydantic
 * schemas (`app/auth/schemas.py`, `app/meetings/schemas.py`, `app/vocabulary.py`).
 *
 * Hand-written for now: they are to be replaced by types generated from the server's OpenAPI
 * document (like the socket frames from the protocol's JSON Schema), so keep them minimal and
 * named exactly as the server names them.
 */

export const ROLES = ['organiser', 'moderator', 'participant', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const PHASES = ['draft', 'lobby', 'plenary', 'breakouts', 'report_back', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export const GENDERS = ['female', 'male', 'another', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];

export const ORGANISATION_TYPES = [
  'ministry',
  'police',
  'prosecution',
  'judiciary',
  'civil_society',
  'international_organisation',
  'academia',
  'private_sector',
  'other',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** `JoinRequest`: what a person gives when opening an invite or typing the meeting code. */
export interface JoinRequest {
  display_name?: string;
  organisation: string;
  organisation_type?: OrganisationType;
  gender?: Gender;
}

export interface CodeJoinRequest extends JoinRequest {
  code: string;
}

/** `SessionRead`: the caller after sign-in. */
export interface SessionRead {
  kind: 'account' | 'participant';
  account_id?: string | null;
  participant_id?: string | null;
  meeting_id?: string | null;
  role?: Role | null;
  room_id?: string | null;
  display_name: string;
}

/** `MeRead` (`GET /api/auth/me`). */
export interface MeRead {
  account: SessionRead | null;
  participant: SessionRead | null;
}

export interface AgendaItemRead {
  id: string;
  title: string;
  kind: 'talk' | 'breakouts' | 'report_back';
  speaker: string;
  planned_minutes: number;
  position: number;
}

/** `MeetingRead` (`GET /api/meetings/{id}`). */
export interface MeetingRead {
  id: string;
  title: string;
  description: string;
  languages: string[];
  phase: Phase;
  join_code: string;
  current_item_id: string | null;
  breakouts_close_at: string | null;
  agenda: AgendaItemRead[];
  created_at: string;
}
