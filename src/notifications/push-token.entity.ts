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

/** A device's FCM registration token; a token belongs to the user who registered it last. */
@Entity({ name: 'push_tokens' })
@Index('IDX_push_tokens_user', ['userId', 'registeredAt'])
export class PushToken {
  @PrimaryColumn('varchar', { length: 1024 })
  token!: string;

  /** The Guildhall user (password users included, each under their own id). */
  @Column('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** `android`, `ios`, `web`, … as the client says. */
  @Column('varchar', { length: 40, nullable: true })
  platform!: string | null;

  @Column('varchar', { name: 'device_info', length: 200, nullable: true })
  deviceInfo!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  /** The last registration: a user's oldest tokens beyond the limit go first. */
  @Column({ type: Date, name: 'registered_at' })
  registeredAt!: Date;
}
