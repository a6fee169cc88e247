import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from '../auth/user.entity';

/** A member's linked Rocket League account, with the ranks last read from the tracker. */
@Entity({ name: 'rl_accounts' })
@Index('UQ_rl_accounts_discord', ['discordId'], { unique: true })
export class RlAccount {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('varchar', { name: 'discord_id', length: 20 })
  discordId!: string;

  /** steam, epic, psn, xbl or switch. */
  @Column('varchar', { length: 10 })
  platform!: string;

  /** As the member typed it. */
  @Column('varchar', { length: 100 })
  username!: string;

  /** Tier names by playlist (`1v1` …), JSON. */
  @Column('text', { name: 'tier_names' })
  tierNames!: string;

  /** Rank with emoji and division by playlist, JSON. */
  @Column('text', { name: 'rank_display' })
  rankDisplay!: string;

  /** Rank icons of the ranked playlists, JSON. */
  @Column('text', { name: 'icon_urls' })
  iconUrls!: string;

  @Column({ type: Date, name: 'last_fetched', nullable: true })
  lastFetched!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
