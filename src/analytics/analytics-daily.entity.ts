import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One UTC day of activity, kept up to date as events are recorded (never recomputed on read) and
 * kept after the raw events expire. JSON columns hold counts by platform, app version, endpoint,
 * feature and hour.
 */
@Entity({ name: 'analytics_daily' })
export class AnalyticsDaily {
  @PrimaryColumn('varchar', { length: 10 })
  day!: string;

  /** Sessions active that day. */
  @Column('integer')
  sessions!: number;

  @Column('integer', { name: 'unique_users' })
  uniqueUsers!: number;

  /** Users whose first recorded day it is. */
  @Column('integer', { name: 'new_users' })
  newUsers!: number;

  @Column('integer')
  actions!: number;

  /** The sum over that day's sessions of the time between their first and last action. */
  @Column('bigint', { name: 'session_ms', transformer: { to: (v: number) => v, from: Number } })
  sessionMs!: number;

  @Column('text')
  platforms!: string;

  @Column('text', { name: 'app_versions' })
  appVersions!: string;

  @Column('text')
  endpoints!: string;

  @Column('text')
  features!: string;

  /** 24 counts, one per UTC hour. */
  @Column('text')
  hours!: string;
}
