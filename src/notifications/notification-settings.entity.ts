import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../auth/user.entity';

/** A user's push preferences; a user without a row has every push on. */
@Entity({ name: 'notification_settings' })
export class NotificationSettings {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('boolean', { name: 'notifications_enabled', default: true })
  notificationsEnabled!: boolean;

  @Column('boolean', { name: 'ticket_new_messages', default: true })
  ticketNewMessages!: boolean;

  @Column('boolean', { name: 'ticket_mentions', default: true })
  ticketMentions!: boolean;

  @Column('boolean', { name: 'ticket_created', default: true })
  ticketCreated!: boolean;

  @Column('boolean', { name: 'ticket_assigned', default: true })
  ticketAssigned!: boolean;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
