import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An app session as analytics sees it: its client, last activity, actions and endpoints. */
@Entity({ name: 'analytics_sessions' })
@Index('IDX_analytics_sessions_last', ['lastAt'])
export class AnalyticsSession {
  /** The Guildhall session (the token's `jti` session). */
  @PrimaryColumn('varchar', { name: 'session_id', length: 64 })
  sessionId!: string;

  @Column('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @Column('varchar', { length: 40, nullable: true })
  platform!: string | null;

  @Column('varchar', { name: 'device_info', length: 200, nullable: true })
  deviceInfo!: string | null;

  @Column('varchar', { name: 'app_version', length: 60, nullable: true })
  appVersion!: string | null;

  @Column('varchar', { name: 'client_session_id', length: 100, nullable: true })
  clientSessionId!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  ip!: string | null;

  @Column('varchar', { name: 'user_agent', length: 300, nullable: true })
  userAgent!: string | null;

  @Column({ type: Date, name: 'first_at' })
  firstAt!: Date;

  @Column({ type: Date, name: 'last_at' })
  lastAt!: Date;

  @Column('integer')
  actions!: number;

  /** Counts per endpoint name, JSON. */
  @Column('text')
  endpoints!: string;

  @Column('varchar', { name: 'last_endpoint', length: 120 })
  lastEndpoint!: string;
}
