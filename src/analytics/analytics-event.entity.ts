import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One recorded action: an authenticated request or a client feature event. Kept for the retention. */
@Entity({ name: 'analytics_events' })
@Index('IDX_analytics_events_at', ['at'])
export class AnalyticsEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: Date })
  at!: Date;

  /** The UTC day, `YYYY-MM-DD`. */
  @Column('varchar', { length: 10 })
  day!: string;

  /** `request` or `client`. */
  @Column('varchar', { length: 10 })
  kind!: string;

  /** The HazeBot endpoint name or route template of a request; a client event's name. */
  @Column('varchar', { length: 120 })
  name!: string;

  @Column('varchar', { length: 10, nullable: true })
  method!: string | null;

  @Column('integer', { nullable: true })
  status!: number | null;

  @Column('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @Column('varchar', { name: 'session_id', length: 64 })
  sessionId!: string;

  @Column('varchar', { length: 40, nullable: true })
  platform!: string | null;

  @Column('varchar', { name: 'app_version', length: 60, nullable: true })
  appVersion!: string | null;

  /** A client event's properties as JSON. */
  @Column('text', { nullable: true })
  props!: string | null;
}
