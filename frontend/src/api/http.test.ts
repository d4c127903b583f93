import { describe, expect, it } from 'vitest';
import { ApiError, requestJson, type Fetch } from './http.ts';

function respond(status: number, body: string): { fetch: Fetch; calls: [string, RequestInit | undefined][] } {
  const calls: [string, RequestInit | undefined][] = [];
  const fetch: Fetch = (input, init) => {
    calls.push([String(input), init]);
    return Promise.resolve(new Response(body === '' ? null : body, { status }));
  };
  return { fetch, calls };
}

describe('requestJson', () => {
  it('sends JSON with the session cookie and returns the parsed body', async () => {
    const { fetch, calls } = respond(200, '{"ok":true}');
    await expect(requestJson('POST', '/api/join', { code: 'ABCD' }, fetch)).resolves.toEqual({ ok: true });
    const [path, init] = calls[0] ?? [];
    expect(path).toBe('/api/join');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"code":"ABCD"}');
  });

  it('turns the server error body into an ApiError', async () => {
    const { fetch } = respond(404, '{"code":"not_found","message":"no meeting has this code","details":null}');
    await expect(requestJson('GET', '/api/x', undefined, fetch)).rejects.toEqual(
      new ApiError(404, 'not_found', 'no meeting has this code'),
    );
  });

  it('copes with an error that is not JSON (a proxy page)', async () => {
    const { fetch } = respond(502, '<html>bad gateway</html>');
    await expect(requestJson('GET', '/api/x', undefined, fetch)).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });

  it('reports an unreachable server as status 0', async () => {
    const fetch: Fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(requestJson('GET', '/api/x', undefined, fetch)).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('returns null for an empty success (204)', async () => {
    const { fetch } = respond(204, '');
    await expect(requestJson('POST', '/api/auth/logout', undefined, fetch)).resolves.toBeNull();
  });
});
