import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A session's activity within one UTC day: what makes the daily session counts incremental. */
@Entity({ name: 'analytics_day_sessions' })
export class AnalyticsDaySession {
  @PrimaryColumn('varchar', { length: 10 })
  day!: string;

  @PrimaryColumn('varchar', { name: 'session_id', length: 64 })
  sessionId!: string;

  @Column('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @Column({ type: Date, name: 'first_at' })
  firstAt!: Date;

  @Column({ type: Date, name: 'last_at' })
  lastAt!: Date;
}
