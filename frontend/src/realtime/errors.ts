/** Why a transport stopped for good (it will not reconnect by itself). */
export type StopReason =
  /** The server closed with 4403, or refused a ticket with 403: this session may not listen. */
  | 'forbidden'
  /** The ticket endpoint answered 401: the session cookie is gone or expired. */
  | 'not_authenticated'
  /** The server speaks another protocol version: the page must reload to get matching code. */
  | 'incompatible'
  /** `stop()` was called by the app. */
  | 'stopped';

/** The server refused a command (`error` frame with `ref` = the command's id). Final: do not resend. */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(
    readonly code: string,
    message: string,
    readonly ref: string,
  ) {
    super(message);
  }
}

/** The transport stopped before the command was acknowledged. The command may be sent again later. */
export class TransportStoppedError extends Error {
  override readonly name = 'TransportStoppedError';

  constructor(readonly reason: StopReason) {
    super(`transport stopped: ${reason}`);
  }
}

/** The ticket endpoint said no for a reason that retrying will not change. */
export class TicketRefusedError extends Error {
  override readonly name = 'TicketRefusedError';

  constructor(readonly reason: Extract<StopReason, 'forbidden' | 'not_authenticated'>) {
    super(`ticket refused: ${reason}`);
  }
}
