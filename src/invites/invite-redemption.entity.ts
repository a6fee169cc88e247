import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { InviteCode } from './invite-code.entity';

/** One member's use of one code; the unique pair makes a second use by the same member impossible. */
@Entity({ name: 'invite_redemptions' })
@Index(['codeId', 'discordUserId'], { unique: true })
export class InviteRedemption {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'code_id' })
  codeId!: number;

  @ManyToOne(() => InviteCode, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'code_id' })
  inviteCode?: InviteCode;

  @Index()
  @Column('varchar', { name: 'discord_user_id', length: 20 })
  discordUserId!: string;

  /** The cohort whose seat the member took. */
  @Column('varchar', { length: 16 })
  cohort!: string;

  @CreateDateColumn({ name: 'redeemed_at' })
  redeemedAt!: Date;
}
