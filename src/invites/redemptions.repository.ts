import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { columns, HotSql, Rows, runSql } from '../core/database';
import type { InviteCode } from './invite-code.entity';

type Row = Record<string, unknown>;

const SEEN = columns('c', [
  'id',
  'code',
  'cohort',
  'max_uses',
  'used_count',
  'expires_at',
  'disabled_at',
] as const);

export type RedeemableCode = Pick<
  InviteCode,
  'id' | 'code' | 'cohort' | 'maxUses' | 'usedCount' | 'expiresAt' | 'disabledAt'
>;

/**
 * The statements of a redemption, a hot write: plain SQL inside the redemption's transaction,
 * each one condition that holds under concurrent redemptions on SQLite and PostgreSQL.
 */
@Injectable()
export class RedemptionsRepository {
  constructor(private readonly sql: HotSql) {}

  /**
   * The code and whether `member` has redeemed it, as of the last commit and outside the write
   * queue, in one statement: a refusal known from it needs no transaction. An answer that lets the
   * redemption go on decides nothing; the transaction checks again.
   */
  async seen(
    code: string,
    member: string,
  ): Promise<{ invite: RedeemableCode | null; redeemed: boolean }> {
    const row = await this.sql.row(
      `SELECT ${SEEN.sql}, EXISTS (SELECT 1 FROM invite_redemptions r ` +
        'WHERE r.code_id = c.id AND r.discord_user_id = ?) FROM invite_codes c WHERE c.code = ?',
      [member, code],
    );
    if (!row) return { invite: null, redeemed: false };
    const at = SEEN.at;
    return {
      invite: toCode({
        id: row[at.id],
        code: row[at.code],
        cohort: row[at.cohort],
        max_uses: row[at.max_uses],
        used_count: row[at.used_count],
        expires_at: row[at.expires_at],
        disabled_at: row[at.disabled_at],
      }),
      redeemed: Boolean(Number(row[row.length - 1])),
    };
  }

  async code(manager: EntityManager, code: string): Promise<RedeemableCode | null> {
    const { rows } = await runSql<Row>(
      manager,
      'SELECT id, code, cohort, max_uses, used_count, expires_at, disabled_at FROM invite_codes ' +
        'WHERE code = ?',
      [code],
    );
    return rows[0] ? toCode(rows[0]) : null;
  }

  async redeemedBy(manager: EntityManager, codeId: number, member: string): Promise<boolean> {
    const { rows } = await runSql(
      manager,
      'SELECT 1 FROM invite_redemptions WHERE code_id = ? AND discord_user_id = ?',
      [codeId, member],
    );
    return rows.length > 0;
  }

  /** One more use, unless the code is used up or disabled meanwhile. */
  async takeUse(manager: EntityManager, codeId: number): Promise<boolean> {
    const { affected } = await runSql(
      manager,
      'UPDATE invite_codes SET used_count = used_count + 1 ' +
        'WHERE id = ? AND used_count < max_uses AND disabled_at IS NULL',
      [codeId],
    );
    return affected === 1;
  }

  /**
   * A seat in the first cohort at or after `position` that exists and has room, in one statement:
   * its name and Discord role id, or undefined when none has (the caller opens the next cohort).
   */
  async takeSeat(
    manager: EntityManager,
    position: number,
    capacity: number,
  ): Promise<{ name: string; discordRoleId: string | null } | undefined> {
    const { rows } = await runSql<Row>(
      manager,
      'UPDATE cohorts SET member_count = member_count + 1 WHERE name = (SELECT c.name FROM cohorts c ' +
        'WHERE c.position >= ? AND c.member_count < ? ORDER BY c.position LIMIT 1) ' +
        'AND member_count < ? RETURNING name, discord_role_id',
      [position, capacity, capacity],
    );
    if (!rows[0]) return undefined;
    return {
      name: rows[0].name as string,
      discordRoleId: (rows[0].discord_role_id as string | null) ?? null,
    };
  }

  async insert(
    manager: EntityManager,
    redemption: { codeId: number; member: string; cohort: string; at: Date },
  ): Promise<void> {
    await runSql(
      manager,
      'INSERT INTO invite_redemptions (code_id, discord_user_id, cohort, redeemed_at) VALUES (?, ?, ?, ?)',
      [redemption.codeId, redemption.member, redemption.cohort, redemption.at],
    );
  }
}

function toCode(row: Row): RedeemableCode {
  return {
    id: Rows.int(row.id),
    code: row.code as string,
    cohort: row.cohort as string,
    maxUses: Rows.int(row.max_uses),
    usedCount: Rows.int(row.used_count),
    expiresAt: Rows.dateOrNull(row.expires_at),
    disabledAt: Rows.dateOrNull(row.disabled_at),
  };
}
