/**
 * The REST shapes the app uses. Generated from the server's OpenAPI schemas (`generated.ts`);
 * the views shared with the socket come from the protocol's generated types. This module adds
 * only the closed value sets as arrays, for forms that list every choice.
 */
import type { Gender, OrganisationType } from './generated.ts';
import type { MeetingView, Phase, Role } from '../protocol/index.ts';

export type {
  AgendaItemCreate,
  AgendaItemUpdate,
  CodeJoinRequest,
  Gender,
  ImportReport,
  ImportRowError,
  InviteCreate,
  InvitePreview,
  InviteRead,
  JoinRequest,
  MeRead,
  OrganisationType,
  ParticipantRead,
  PlenaryAnswer,
  PlenaryFinding,
  PlenaryRead,
  QuestionCreate,
  RoomColumn,
  RoomCreate,
  SessionRead,
} from './generated.ts';
export type { Phase, Role } from '../protocol/index.ts';

/** `GET /api/meetings/{id}` answers the protocol's meeting view. */
export type MeetingRead = MeetingView;
export type AgendaItemRead = MeetingView['agenda'][number];

export const ROLES = ['organiser', 'moderator', 'participant', 'observer'] as const satisfies readonly Role[];

export const PHASES = ['draft', 'lobby', 'plenary', 'breakouts', 'report_back', 'closed'] as const satisfies readonly Phase[];

export const GENDERS = ['female', 'male', 'another', 'undisclosed'] as const satisfies readonly Gender[];

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
] as const satisfies readonly OrganisationType[];
