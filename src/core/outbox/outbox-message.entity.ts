import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/**
 * A side effect outside the database (an e-mail, a Discord call), written in the same transaction as
 * the change that caused it and delivered afterwards by the outbox worker, with retries.
 */
@Entity({ name: 'outbox_messages' })
@Index(['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  /** Which handler delivers it, e.g. `email`. */
  @Column('varchar', { length: 40 })
  kind!: string;

  @Column('simple-json')
  payload!: Record<string, unknown>;

  @Column('varchar', { length: 16 })
  status!: OutboxStatus;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column({ type: Date, name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  /** While a worker delivers the message nobody else may take it; a crashed worker's lock expires. */
  @Column({ type: Date, name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;

  @Column('varchar', { name: 'last_error', length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ type: Date, name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}
