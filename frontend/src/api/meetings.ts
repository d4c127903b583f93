import { requestJson, type Fetch } from './http.ts';
import type { MeetingRead } from './types.ts';

export interface MeetingsApi {
  get(meetingId: string): Promise<MeetingRead>;
  list(): Promise<MeetingRead[]>;
}

export function meetingsApi(fetchImpl?: Fetch): MeetingsApi {
  return {
    get: (meetingId) => requestJson<MeetingRead>('GET', `/api/meetings/${encodeURIComponent(meetingId)}`, undefined, fetchImpl),
    list: () => requestJson<MeetingRead[]>('GET', '/api/meetings', undefined, fetchImpl),
  };
}
