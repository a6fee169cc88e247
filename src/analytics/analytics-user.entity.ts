import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every user ever recorded, with the UTC day first seen (new users per day, total users). */
@Entity({ name: 'analytics_users' })
export class AnalyticsUser {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @Column('varchar', { name: 'first_day', length: 10 })
  firstDay!: string;
}
