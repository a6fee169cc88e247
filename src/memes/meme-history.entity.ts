import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A meme shown (picked at random or posted), so it is not shown again within MEME_REPEAT_DAYS. */
@Entity({ name: 'meme_history' })
@Index('IDX_meme_history_shown', ['shownAt'])
export class MemeHistory {
  /** SHA-256 of the image URL. */
  @PrimaryColumn('varchar', { name: 'url_hash', length: 64 })
  urlHash!: string;

  @Column('text')
  url!: string;

  @Column({ type: Date, name: 'shown_at' })
  shownAt!: Date;
}
