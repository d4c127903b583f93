/**
 * The REST calls of the live pages, one function each, typed by the generated schemas. The
 * paths are those of the server's feature routers (`app/<feature>/router.py`).
 */
import type {
  AnswerView,
  FindingView,
  MeetingView,
  PresenceEntry,
  QuestionView,
  RaisedHandView,
  RoomView,
  StreamSnapshot,
} from '../protocol/index.ts';
import type {
  AssignmentPreview,
  AssignmentRead,
  RoomSeats,
  AgendaItemCreate,
  AgendaItemUpdate,
  AllocationView,
  ImportReport,
  InviteCreate,
  InviteRead,
  GroupAccept,
  GroupSplit,
  GroupUpdate,
  ParticipantMatchRequest,
  ParticipantRead,
  PlenaryFocus,
  PlenaryGroupsRead,
  PlenaryRead,
  ProjectorLinkRead,
  ProjectorRead,
  ProjectorRoomQuestion,
  QuestionCreate,
  QuestionUpdate,
  ReportDocument,
  ReportLinkRead,
  RoomCallRead,
  RoomCreate,
  RosterLinksCreate,
  RosterLinksRead,
  RoomUpdate,
  ThemeRename,
} from './generated.ts';
import { ApiError, requestJson } from './http.ts';

const id = encodeURIComponent;
export type { PresenceEntry };

export function streamSnapshot(meetingId: string, stream: string): Promise<StreamSnapshot> {
  const query = new URLSearchParams({ meeting_id: meetingId, stream });
  return requestJson<StreamSnapshot>('GET', `/api/live/snapshot?${query.toString()}`);
}

/** The room's answers as the caller sees them, with `mine` and `voted` (events never carry them). */
export function roomAnswers(roomId: string): Promise<AnswerView[]> {
  return requestJson<AnswerView[]>('GET', `/api/rooms/${id(roomId)}/answers`);
}

/** The hands up in the room: every one for its staff, the caller's own for a participant. */
export function roomHands(roomId: string): Promise<RaisedHandView[]> {
  return requestJson<RaisedHandView[]>('GET', `/api/rooms/${id(roomId)}/hands`);
}

/** Put the room's questions in this order (every question allocated to it, each once). */
export function orderRoomQuestions(roomId: string, questionIds: string[]): Promise<unknown> {
  return requestJson<unknown>('PUT', `/api/rooms/${id(roomId)}/questions/order`, { question_ids: questionIds });
}

export const meetings = {
  get: (meetingId: string) => requestJson<MeetingView>('GET', `/api/meetings/${id(meetingId)}`),
  list: () => requestJson<MeetingView[]>('GET', '/api/meetings'),
  create: (title: string) => requestJson<MeetingView>('POST', '/api/meetings', { title }),
  addAgendaItem: (meetingId: string, body: AgendaItemCreate) =>
    requestJson<unknown>('POST', `/api/meetings/${id(meetingId)}/agenda`, body),
  updateAgendaItem: (meetingId: string, itemId: string, body: AgendaItemUpdate) =>
    requestJson<unknown>('PATCH', `/api/meetings/${id(meetingId)}/agenda/${id(itemId)}`, body),
  removeAgendaItem: (meetingId: string, itemId: string) =>
    requestJson<null>('DELETE', `/api/meetings/${id(meetingId)}/agenda/${id(itemId)}`),
};

export const rooms = {
  create: (meetingId: string, body: RoomCreate) => requestJson<RoomView>('POST', `/api/meetings/${id(meetingId)}/rooms`, body),
  update: (roomId: string, body: RoomUpdate) => requestJson<RoomView>('PATCH', `/api/rooms/${id(roomId)}`, body),
  remove: (roomId: string) => requestJson<null>('DELETE', `/api/rooms/${id(roomId)}`),
  /** The room's video call link: only its people, its moderators, observers and organisers get it. */
  call: (roomId: string) => requestJson<RoomCallRead>('GET', `/api/rooms/${id(roomId)}/call`),
  setModerators: (roomId: string, participantIds: string[]) =>
    requestJson<RoomView>('PUT', `/api/rooms/${id(roomId)}/moderators`, { participant_ids: participantIds }),
};

export const questions = {
  list: (meetingId: string) => requestJson<QuestionView[]>('GET', `/api/meetings/${id(meetingId)}/questions`),
  create: (meetingId: string, body: QuestionCreate) =>
    requestJson<QuestionView>('POST', `/api/meetings/${id(meetingId)}/questions`, body),
  update: (questionId: string, body: QuestionUpdate) =>
    requestJson<QuestionView>('PATCH', `/api/questions/${id(questionId)}`, body),
  remove: (questionId: string) => requestJson<null>('DELETE', `/api/questions/${id(questionId)}`),
  allocate: (questionId: string, roomIds: string[]) =>
    requestJson<AllocationView[]>('PUT', `/api/questions/${id(questionId)}/allocations`, { room_ids: roomIds }),
};

export const participants = {
  list: (meetingId: string) => requestJson<ParticipantRead[]>('GET', `/api/meetings/${id(meetingId)}/participants`),
  /** What balanced assignment would make of the rooms; nothing is written. */
  previewBalanced: (meetingId: string, seed: number | null = null) =>
    requestJson<AssignmentPreview>('POST', `/api/meetings/${id(meetingId)}/assignment/preview`, { seed }),
  /** Applies exactly a preview, or refuses (409 `assignment_changed`) when people or rooms changed since. */
  applyBalanced: (meetingId: string, preview: AssignmentPreview) =>
    requestJson<AssignmentRead>('POST', `/api/meetings/${id(meetingId)}/assignment`, {
      mode: 'balanced',
      seed: preview.seed,
      proposal: preview.proposal,
    }),
  /** How rooms are filled: `manual`, or `self_select` (people choose on their phones). */
  setMode: (meetingId: string, mode: 'manual' | 'self_select') =>
    requestJson<AssignmentRead>('POST', `/api/meetings/${id(meetingId)}/assignment`, { mode }),
  /** Every room's seats taken and capacity (anyone in the meeting). */
  seats: (meetingId: string) => requestJson<RoomSeats[]>('GET', `/api/meetings/${id(meetingId)}/seats`),
  /** A participant takes a seat in the room they choose (409 `room_full` when it is full). */
  selectRoom: (roomId: string) => requestJson<ParticipantRead>('POST', `/api/rooms/${id(roomId)}/select`),
  /** The walk-in and the roster entry become one person: the entry, with the walk-in's records. */
  match: (walkInId: string, body: ParticipantMatchRequest) =>
    requestJson<ParticipantRead>('POST', `/api/participants/${id(walkInId)}/match`, body),
  /** CSV as the organiser chose it; the report lists each rejected row with its reason. */
  importCsv: async (meetingId: string, csv: string): Promise<ImportReport> => {
    let response: Response;
    try {
      response = await fetch(`/api/meetings/${id(meetingId)}/participants/import`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'text/csv' },
        body: csv,
      });
    } catch (error) {
      throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      throw new ApiError(response.status, String(fields['code'] ?? `http_${response.status}`), String(fields['message'] ?? ''), fields['details']);
    }
    return body as ImportReport;
  },
};

export const invites = {
  list: (meetingId: string) => requestJson<InviteRead[]>('GET', `/api/meetings/${id(meetingId)}/invites`),
  create: (meetingId: string, body: InviteCreate) =>
    requestJson<InviteRead>('POST', `/api/meetings/${id(meetingId)}/invites`, body),
  revoke: (meetingId: string, inviteId: string) =>
    requestJson<InviteRead>('POST', `/api/meetings/${id(meetingId)}/invites/${id(inviteId)}/revoke`),
  /** A personal link for everyone on the roster; people who have an active one keep it. */
  createForRoster: (meetingId: string, body: RosterLinksCreate = {}) =>
    requestJson<RosterLinksRead>('POST', `/api/meetings/${id(meetingId)}/invites/roster`, body),
  roster: (meetingId: string) => requestJson<RosterLinksRead>('GET', `/api/meetings/${id(meetingId)}/invites/roster`),
  rosterCsvUrl: (meetingId: string) => `/api/meetings/${id(meetingId)}/invites/roster.csv`,
};

export const templates = {
  /** The meeting as a template file (YAML), to save and import elsewhere. */
  exportUrl: (meetingId: string, format: 'yaml' | 'json' = 'yaml') =>
    `/api/meetings/${id(meetingId)}/template?format=${format}`,
  importFile: async (text: string, contentType: string): Promise<MeetingView> => {
    let response: Response;
    try {
      response = await fetch('/api/meetings/import', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': contentType },
        body: text,
      });
    } catch (error) {
      throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      throw new ApiError(response.status, String(fields['code'] ?? `http_${response.status}`), String(fields['message'] ?? ''));
    }
    return body as MeetingView;
  },
};

export const plenary = {
  get: (meetingId: string) => requestJson<PlenaryRead>('GET', `/api/meetings/${id(meetingId)}/plenary`),
  focus: (meetingId: string, roomId: string | null, questionId: string | null = null, page = 0) =>
    requestJson<PlenaryFocus>('PUT', `/api/meetings/${id(meetingId)}/plenary/focus`, {
      room_id: roomId,
      question_id: questionId,
      page,
    }),
};

/** The organiser's projector link (present mode without a session). */
export const projectorLink = {
  make: (meetingId: string) => requestJson<ProjectorLinkRead>('POST', `/api/meetings/${id(meetingId)}/projector-link`),
  /** The url is null while there is none. */
  get: (meetingId: string) => requestJson<ProjectorLinkRead>('GET', `/api/meetings/${id(meetingId)}/projector-link`),
  revoke: (meetingId: string) => requestJson<null>('DELETE', `/api/meetings/${id(meetingId)}/projector-link`),
};

/** What a projector link reads: its token is the credential. */
export const projector = {
  get: (token: string) => requestJson<ProjectorRead>('GET', `/api/projector/${id(token)}`),
  snapshot: (token: string) => requestJson<StreamSnapshot>('GET', `/api/projector/${id(token)}/snapshot`),
  ticketPath: (token: string) => `/api/projector/${id(token)}/tickets`,
  questions: (token: string) => requestJson<ProjectorRoomQuestion[]>('GET', `/api/projector/${id(token)}/questions`),
  plenary: (token: string) => requestJson<PlenaryRead>('GET', `/api/projector/${id(token)}/plenary`),
};

/** The organiser's curation of a question's cross-room groups; each answers the question's groups. */
export const plenaryGroups = {
  accept: (meetingId: string, body: GroupAccept) =>
    requestJson<PlenaryGroupsRead>('POST', `/api/meetings/${id(meetingId)}/plenary/groups`, body),
  update: (meetingId: string, groupId: string, body: GroupUpdate) =>
    requestJson<PlenaryGroupsRead>('PATCH', `/api/meetings/${id(meetingId)}/plenary/groups/${id(groupId)}`, body),
  split: (meetingId: string, groupId: string, body: GroupSplit) =>
    requestJson<PlenaryGroupsRead>('POST', `/api/meetings/${id(meetingId)}/plenary/groups/${id(groupId)}/split`, body),
  merge: (meetingId: string, groupId: string, otherGroupId: string) =>
    requestJson<PlenaryGroupsRead>('POST', `/api/meetings/${id(meetingId)}/plenary/groups/${id(groupId)}/merge`, {
      group_id: otherGroupId,
    }),
  release: (meetingId: string, groupId: string) =>
    requestJson<PlenaryGroupsRead>('DELETE', `/api/meetings/${id(meetingId)}/plenary/groups/${id(groupId)}`),
  renameTheme: (meetingId: string, body: ThemeRename) =>
    requestJson<PlenaryGroupsRead>('POST', `/api/meetings/${id(meetingId)}/plenary/themes/rename`, body),
};

export const reports = {
  /** Download addresses (the session cookie authorises them). */
  files: (meetingId: string) => ({
    docx: `/api/meetings/${id(meetingId)}/report.docx`,
    pdf: `/api/meetings/${id(meetingId)}/report.pdf`,
    markdown: `/api/meetings/${id(meetingId)}/report.md`,
    csv: `/api/meetings/${id(meetingId)}/answers.csv`,
    json: `/api/meetings/${id(meetingId)}/answers.json`,
  }),
  shareLink: (meetingId: string) => requestJson<ReportLinkRead>('POST', `/api/meetings/${id(meetingId)}/report-link`),
  revokeLink: (meetingId: string) => requestJson<null>('DELETE', `/api/meetings/${id(meetingId)}/report-link`),
  /** The organiser's shared link, if any (404 while none is shared). */
  sharedLink: (meetingId: string) => requestJson<ReportLinkRead>('GET', `/api/meetings/${id(meetingId)}/report-link`),
};

/** The report as anyone with its read-only link reads it: the link's token is the credential. */
export const sharedReport = {
  get: (token: string) => requestJson<ReportDocument>('GET', `/api/reports/${id(token)}`),
  files: (token: string) => ({
    docx: `/api/reports/${id(token)}/report.docx`,
    pdf: `/api/reports/${id(token)}/report.pdf`,
    markdown: `/api/reports/${id(token)}/report.md`,
    csv: `/api/reports/${id(token)}/answers.csv`,
  }),
};

export const findings = {
  get: (findingId: string) => requestJson<FindingView>('GET', `/api/findings/${id(findingId)}`),
};
