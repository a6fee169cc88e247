import { readFileSync } from 'node:fs';
import type { App } from 'firebase-admin/app';
import type { Messaging, MulticastMessage, SendResponse } from 'firebase-admin/messaging';
import type { PushMessage, PushOutcome, PushSender } from './push-sender';

/** FCM's answers that mean the token will never work again: the token is deleted. */
const INVALID_TOKEN_CODES = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
  // The token belongs to another Firebase project.
  'messaging/mismatched-credential',
]);

/** FCM refused the message itself (e.g. too large): retrying cannot help, the token may be fine. */
const REJECTED_CODES = new Set([
  'messaging/invalid-argument',
  'messaging/payload-size-limit-exceeded',
]);

/** The FCM message of a push: data-only, Android priority high (HazeBot's shape, contract §5). */
export function multicastOf(tokens: string[], message: PushMessage): MulticastMessage {
  return {
    tokens,
    data: message.data,
    android: { priority: 'high' },
    apns: { headers: { 'apns-priority': '10' }, payload: { aps: { contentAvailable: true } } },
  };
}

/** One token's outcome from FCM's response for it. */
export function outcomeOf(token: string, response: SendResponse): PushOutcome {
  if (response.success) return { token, result: 'sent' };
  const code = response.error?.code ?? 'unknown';
  if (INVALID_TOKEN_CODES.has(code)) return { token, result: 'invalid', code };
  if (REJECTED_CODES.has(code)) return { token, result: 'rejected', code };
  return { token, result: 'retry', code };
}

/**
 * Pushes through Firebase Cloud Messaging with firebase-admin, from a service-account JSON
 * (FIREBASE_CREDENTIALS_PATH or GOOGLE_APPLICATION_CREDENTIALS). firebase-admin is loaded only when
 * push is configured.
 */
export class FirebasePushSender implements PushSender {
  readonly name = 'fcm';

  private constructor(private readonly messaging: Messaging) {}

  /** Reads the credentials and initialises firebase-admin; no network call happens here. */
  static async fromCredentialsFile(path: string): Promise<FirebasePushSender> {
    const account = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    const [{ initializeApp, cert, getApps }, { getMessaging }] = await Promise.all([
      import('firebase-admin/app'),
      import('firebase-admin/messaging'),
    ]);
    const name = `guildhall-${account.project_id ?? 'push'}`;
    const app: App =
      getApps().find((existing) => existing.name === name) ??
      initializeApp({ credential: cert(account), projectId: account.project_id }, name);
    return new FirebasePushSender(getMessaging(app));
  }

  async send(tokens: string[], message: PushMessage): Promise<PushOutcome[]> {
    const batch = await this.messaging.sendEachForMulticast(multicastOf(tokens, message));
    return batch.responses.map((response, i) => outcomeOf(tokens[i], response));
  }
}
