import { Entity, PrimaryColumn } from 'typeorm';

/** A user active on a UTC day: unique users per day, and the active users of the last 7 days. */
@Entity({ name: 'analytics_day_users' })
export class AnalyticsDayUser {
  @PrimaryColumn('varchar', { length: 10 })
  day!: string;

  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId!: string;
}
