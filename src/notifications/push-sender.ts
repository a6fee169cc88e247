/** A data-only push: every value a string, as FCM requires. */
export interface PushMessage {
  data: Record<string, string>;
}

/**
 * What became of one token: sent; to be forgotten (FCM no longer knows it); refused for this
 * message (retrying cannot help); or worth retrying.
 */
export type PushOutcome =
  | { token: string; result: 'sent' }
  | { token: string; result: 'invalid'; code: string }
  | { token: string; result: 'rejected'; code: string }
  | { token: string; result: 'retry'; code: string };

/**
 * The port pushes leave through. One call is one multicast (at most MAX_MULTICAST tokens); the
 * answer has one outcome per token, in order. Throwing means nothing was sent (FCM unreachable).
 */
export interface PushSender {
  readonly name: string;
  send(tokens: string[], message: PushMessage): Promise<PushOutcome[]>;
}

export const PUSH_SENDER = Symbol('PUSH_SENDER');

/** FCM takes at most this many tokens in one multicast. */
export const MAX_MULTICAST = 500;
