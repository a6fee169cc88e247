import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { TransactionRunner } from '../core/database';
import { DomainError, ValidationFailed } from '../core/errors';
import { NotificationSettings } from './notification-settings.entity';
import {
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  type SettingKey,
  type SettingsView,
} from './push-messages';
import { PUSH_SENDER, type PushOutcome, type PushSender } from './push-sender';
import { PushToken } from './push-token.entity';

/** A user keeps at most this many devices; registering another drops the oldest. */
export const MAX_TOKENS_PER_USER = 10;

export const PushDisabled = () =>
  new DomainError('PUSH_DISABLED', 503, 'Push notifications are not enabled on this server');
const TokenNotFound = () => new DomainError('TOKEN_NOT_FOUND', 404, 'Token not found');
const NoValidSettings = () =>
  new DomainError('NO_VALID_SETTINGS', 400, 'No valid settings provided');
const NoTokens = () =>
  new DomainError('NO_TOKENS', 404, 'No registered tokens: register a device or pass fcm_token');

/** The column of each setting. */
export const SETTING_COLUMNS: Record<SettingKey, keyof NotificationSettings> = {
  notifications_enabled: 'notificationsEnabled',
  ticket_new_messages: 'ticketNewMessages',
  ticket_mentions: 'ticketMentions',
  ticket_created: 'ticketCreated',
  ticket_assigned: 'ticketAssigned',
};

/** Devices and preferences of each user, and the admin's test push. */
@Injectable()
export class NotificationsService {
  private lastRegistration = 0;

  constructor(
    private readonly transactions: TransactionRunner,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(PUSH_SENDER) private readonly sender: PushSender | null,
  ) {}

  get enabled(): boolean {
    return Boolean(this.sender);
  }

  /**
   * Stores the token for the user (moving it from whoever had it) and drops the user's oldest
   * tokens beyond MAX_TOKENS_PER_USER.
   */
  async register(
    userId: string,
    token: string,
    device: { platform?: string | null; deviceInfo?: string | null },
  ): Promise<void> {
    this.assertEnabled();
    await this.transactions.run(async (manager) => {
      const tokens = manager.getRepository(PushToken);
      await tokens.upsert(
        {
          token,
          userId,
          platform: device.platform?.slice(0, 40) ?? null,
          deviceInfo: device.deviceInfo?.slice(0, 200) ?? null,
          registeredAt: this.nextRegistrationTime(),
        },
        ['token'],
      );
      const mine = await tokens.find({
        select: { token: true },
        where: { userId },
        order: { registeredAt: 'DESC' },
      });
      const extra = mine.slice(MAX_TOKENS_PER_USER).map((row) => row.token);
      if (extra.length > 0) await tokens.delete({ token: In(extra) });
    });
  }

  /** Forgets one of the caller's tokens; someone else's token is "not found" too. */
  async unregister(userId: string, token: string): Promise<void> {
    this.assertEnabled();
    const result = await this.transactions.run((manager) =>
      manager.getRepository(PushToken).delete({ token, userId }),
    );
    if (!result.affected) throw TokenNotFound();
  }

  async settings(userId: string): Promise<SettingsView> {
    const row = await this.dataSource.getRepository(NotificationSettings).findOneBy({ userId });
    return row ? viewOf(row) : { ...DEFAULT_SETTINGS };
  }

  /**
   * Changes the keys sent. Every value must be a boolean (the app casts each with `as bool`);
   * unknown keys are ignored, as HazeBot did, but at least one key must be known.
   */
  async updateSettings(userId: string, body: Record<string, unknown>): Promise<SettingsView> {
    const known = SETTING_KEYS.filter((key) => key in body);
    const bad = known.filter((key) => typeof body[key] !== 'boolean');
    if (bad.length > 0)
      throw new ValidationFailed(
        bad.map((field) => ({ field, message: `${field} must be a boolean` })),
      );
    if (known.length === 0) throw NoValidSettings();
    return this.transactions.run(async (manager) => {
      const repo = manager.getRepository(NotificationSettings);
      const existing = await repo.findOneBy({ userId });
      const next = existing ? viewOf(existing) : { ...DEFAULT_SETTINGS };
      for (const key of known) next[key] = body[key] as boolean;
      const row: Partial<NotificationSettings> = { userId, updatedAt: new Date() };
      for (const key of SETTING_KEYS) Object.assign(row, { [SETTING_COLUMNS[key]]: next[key] });
      await repo.upsert(row, ['userId']);
      return next;
    });
  }

  /** Sends a test push at once (not through the outbox) and reports each token's outcome. */
  async test(
    userId: string,
    input: { token?: string; title: string; body: string },
  ): Promise<PushOutcome[]> {
    const sender = this.assertEnabled();
    const tokens = input.token
      ? [input.token]
      : (
          await this.dataSource
            .getRepository(PushToken)
            .find({ select: { token: true }, where: { userId } })
        ).map((row) => row.token);
    if (tokens.length === 0) throw NoTokens();
    const outcomes = await sender.send(tokens, {
      data: { event_type: 'test', notification_type: 'test', title: input.title, body: input.body },
    });
    const invalid = outcomes.filter((o) => o.result === 'invalid').map((o) => o.token);
    if (invalid.length > 0) {
      await this.transactions.run((manager) =>
        manager.getRepository(PushToken).delete({ token: In(invalid) }),
      );
    }
    return outcomes;
  }

  /** Strictly increasing on this instance, so "oldest" is well defined within a burst. */
  private nextRegistrationTime(): Date {
    this.lastRegistration = Math.max(Date.now(), this.lastRegistration + 1);
    return new Date(this.lastRegistration);
  }

  private assertEnabled(): PushSender {
    if (!this.sender) throw PushDisabled();
    return this.sender;
  }
}

export function viewOf(row: NotificationSettings): SettingsView {
  return Object.fromEntries(
    SETTING_KEYS.map((key) => [key, Boolean(row[SETTING_COLUMNS[key]])]),
  ) as SettingsView;
}
