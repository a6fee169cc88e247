import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A day's daily meme: one row per UTC day, so one instance posts it, once. */
@Entity({ name: 'daily_meme_runs' })
export class DailyMemeRun {
  @PrimaryColumn('varchar', { length: 10 })
  day!: string;

  @Column('text', { name: 'meme_url' })
  memeUrl!: string;

  @CreateDateColumn({ name: 'posted_at' })
  postedAt!: Date;
}
