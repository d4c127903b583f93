import { describe, expect, it } from 'vitest';
import { decodeFrame } from './protocol.ts';

describe('decodeFrame', () => {
  it('recognises durable events by their envelope and keeps their payload', () => {
    const frame = { type: 'answer.submitted', stream: 'room:r', seq: 42, at: '2025-01-01T00:00:00Z', data: { text: 'জল' } };
    expect(decodeFrame(JSON.stringify(frame))).toEqual({ kind: 'event', frame });
  });

  it('treats frames without stream and seq as ephemeral', () => {
    expect(decodeFrame('{"type":"presence.changed","online":3}')).toEqual({
      kind: 'ephemeral',
      frame: { type: 'presence.changed', online: 3 },
    });
  });

  it('drops a durable event with a broken envelope', () => {
    expect(decodeFrame('{"type":"answer.submitted","stream":"room:r","seq":-1}')).toBeNull();
    expect(decodeFrame('{"type":"answer.submitted","stream":"room:r","seq":"7"}')).toBeNull();
    expect(decodeFrame('{"type":"answer.submitted","seq":7}')).toBeNull();
  });

  it('checks the control frames the transport relies on', () => {
    expect(decodeFrame('{"type":"welcome","protocol":1}')).toBeNull();
    expect(decodeFrame('{"type":"resumed","stream":"room:r"}')).toBeNull();
    expect(decodeFrame('{"type":"ack"}')).toBeNull();
    expect(decodeFrame('{"type":"welcome","protocol":1,"streams":["meeting:m"]}')).toEqual({
      kind: 'welcome',
      frame: { type: 'welcome', protocol: 1, server_time: '', streams: ['meeting:m'], heartbeat_s: 20, participant_id: null },
    });
    expect(decodeFrame('{"type":"welcome","protocol":1,"streams":[],"participant_id":"p1"}')).toMatchObject({
      frame: { participant_id: 'p1' },
    });
    expect(decodeFrame('{"type":"error","code":"forbidden","message":"no"}')).toEqual({
      kind: 'error',
      frame: { type: 'error', code: 'forbidden', message: 'no', ref: null },
    });
  });

  it('ignores what is not a frame', () => {
    for (const text of ['', 'null', '[]', '42', '{"type":7}', '{']) expect(decodeFrame(text)).toBeNull();
  });
});
