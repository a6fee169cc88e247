import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirebaseMessagingError, type SendResponse } from 'firebase-admin/messaging';
import { FirebasePushSender, multicastOf, outcomeOf } from './firebase-push-sender';
import { newMessagePush, plainText } from './push-messages';

/** firebase-admin's own mapping from FCM v1 server errors to its error codes. */
const fcmError = (serverCode: string): FirebaseMessagingError =>
  (
    FirebaseMessagingError as unknown as {
      fromServerError(code: string): FirebaseMessagingError;
    }
  ).fromServerError(serverCode);

const failed = (serverCode: string): SendResponse => ({
  success: false,
  error: fcmError(serverCode),
});

describe('FirebasePushSender', () => {
  it('builds a data-only multicast with Android priority high', () => {
    const data = newMessagePush({ id: 't-1', ticketNum: 7 }, { authorName: 'Ana', content: 'Hi' });
    const message = multicastOf(['a', 'b'], { data });
    expect(message).toMatchObject({ tokens: ['a', 'b'], data, android: { priority: 'high' } });
    expect(message).not.toHaveProperty('notification');
    expect(Object.values(message.data ?? {}).every((value) => typeof value === 'string')).toBe(
      true,
    );
  });

  it('maps FCM answers to sent, delete the token, refused, or retry', () => {
    expect(outcomeOf('t', { success: true, messageId: 'm-1' })).toEqual({
      token: 't',
      result: 'sent',
    });
    expect(outcomeOf('t', failed('UNREGISTERED'))).toEqual({
      token: 't',
      result: 'invalid',
      code: 'messaging/registration-token-not-registered',
    });
    expect(outcomeOf('t', failed('SENDER_ID_MISMATCH')).result).toBe('invalid');
    expect(outcomeOf('t', failed('INVALID_ARGUMENT')).result).toBe('rejected');
    for (const code of ['UNAVAILABLE', 'INTERNAL', 'QUOTA_EXCEEDED', 'THIRD_PARTY_AUTH_ERROR']) {
      expect({ code, result: outcomeOf('t', failed(code)).result }).toEqual({
        code,
        result: 'retry',
      });
    }
  });

  it('initialises from a service-account file without calling Google', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guildhall-fcm-'));
    try {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const file = join(dir, 'firebase-credentials.json');
      writeFileSync(
        file,
        JSON.stringify({
          type: 'service_account',
          project_id: 'guildhall-test',
          private_key_id: 'key-1',
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
          client_email: 'push@guildhall-test.iam.gserviceaccount.com',
          client_id: '1',
        }),
      );
      const sender = await FirebasePushSender.fromCredentialsFile(file);
      expect(sender.name).toBe('fcm');
      // Loading it twice reuses the initialised app.
      await expect(FirebasePushSender.fromCredentialsFile(file)).resolves.toBeInstanceOf(
        FirebasePushSender,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('push texts', () => {
  it('strips Markdown and HTML and keeps bodies to 100 characters', () => {
    expect(plainText('**Bold** <b>tag</b> [link](https://x.y) `code` ~~gone~~')).toBe(
      'Bold tag link code gone',
    );
    const long = plainText('word '.repeat(50));
    expect(long.length).toBe(100);
    expect(long.endsWith('…')).toBe(true);
  });

  it("drops HazeBot's Admin Panel prefix from a message author", () => {
    const data = newMessagePush(
      { id: 't-1', ticketNum: 3 },
      { authorName: 'Admin Panel - Marta', content: 'On it' },
    );
    expect(data.body).toBe('Marta: On it');
  });
});
