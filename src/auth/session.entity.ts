import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from './user.entity';

export type AuthType = 'legacy' | 'discord';
export type SessionEndReason = 'logout' | 'refreshed' | 'banned' | 'disabled';

/** One issued token: its `jti` is the session id. Revoking the row kills the token at once. */
@Entity({ name: 'sessions' })
@Index(['userId', 'revokedAt'])
export class Session {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('varchar', { name: 'auth_type', length: 16 })
  authType!: AuthType;

  /** The app's X-Session-ID (one per launch), or a generated id; the token's `session_id` claim. */
  @Column('varchar', { name: 'client_session_id', length: 100 })
  clientSessionId!: string;

  @Column('varchar', { length: 40, nullable: true })
  platform!: string | null;

  @Column('varchar', { name: 'device_info', length: 200, nullable: true })
  deviceInfo!: string | null;

  @Column('varchar', { name: 'app_version', length: 60, nullable: true })
  appVersion!: string | null;

  @Column('varchar', { name: 'user_agent', length: 300, nullable: true })
  userAgent!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  ip!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ type: Date, name: 'last_activity_at' })
  lastActivityAt!: Date;

  @Column({ type: Date, name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: Date, name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('varchar', { name: 'revoked_reason', length: 16, nullable: true })
  revokedReason!: SessionEndReason | null;
}
