import type { PushMessage, PushOutcome, PushSender } from '../../src/notifications/push-sender';

export interface RecordedPush {
  tokens: string[];
  data: Record<string, string>;
}

/**
 * The push-sender port as tests see it: every multicast is recorded; `failing` makes calls throw
 * (FCM unreachable), `invalid` and `retryable` make FCM answer so for those tokens.
 */
export class RecordingPushSender implements PushSender {
  readonly name = 'recording';
  readonly sent: RecordedPush[] = [];
  failing = false;
  readonly invalid = new Set<string>();
  readonly retryable = new Set<string>();
  calls = 0;

  async send(tokens: string[], message: PushMessage): Promise<PushOutcome[]> {
    this.calls += 1;
    await Promise.resolve();
    if (this.failing) throw new Error('FCM is unreachable');
    const outcomes = tokens.map((token): PushOutcome => {
      if (this.invalid.has(token))
        return { token, result: 'invalid', code: 'messaging/registration-token-not-registered' };
      if (this.retryable.has(token))
        return { token, result: 'retry', code: 'messaging/server-unavailable' };
      return { token, result: 'sent' };
    });
    const delivered = outcomes.filter((o) => o.result === 'sent').map((o) => o.token);
    if (delivered.length > 0) this.sent.push({ tokens: delivered, data: message.data });
    return outcomes;
  }

  /** The pushes each token received, by event type. */
  receivedBy(token: string, event?: string): Record<string, string>[] {
    return this.sent
      .filter((push) => push.tokens.includes(token) && (!event || push.data.event_type === event))
      .map((push) => push.data);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
