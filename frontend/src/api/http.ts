/** The one way the app calls the REST API: same origin, JSON in and out, one error shape. */

/** The server's error body `{code, message, details}`; `status` 0 means the server was not reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export type Fetch = typeof fetch;

function errorFrom(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null) {
    const { code, message, details } = body as Record<string, unknown>;
    if (typeof code === 'string') return new ApiError(status, code, typeof message === 'string' ? message : '', details);
  }
  return new ApiError(status, `http_${status}`, `HTTP ${status}`);
}

/**
 * Call `path` and return its JSON as `T`. The type is the caller's promise about the server's
 * schema (see `types.ts`); the body is not validated here.
 */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  fetchImpl: Fetch = (...args) => globalThis.fetch(...args),
): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) throw errorFrom(response.status, parsed);
  return parsed as T;
}
