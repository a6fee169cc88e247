import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Ticket } from './ticket.entity';

export type MessageSource = 'app' | 'discord';

/** One chat message of a ticket; the id gives the stored order, `seq` the order within the ticket. */
@Entity({ name: 'ticket_messages' })
@Index(['ticketId', 'id'])
@Index(['ticketId', 'seq'], { unique: true })
export class TicketMessage {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { name: 'ticket_id', length: 36 })
  ticketId!: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket;

  /**
   * The message's number within its ticket (1, 2, ...), taken from the ticket's row in the same
   * transaction: the row lock orders the messages of one ticket across instances.
   */
  @Column('integer', { default: 0 })
  seq!: number;

  @Column('varchar', { name: 'author_id', length: 36 })
  authorId!: string;

  @Column('varchar', { name: 'author_name', length: 100 })
  authorName!: string;

  @Column('varchar', { name: 'author_avatar', length: 300, nullable: true })
  authorAvatar!: string | null;

  @Column('text')
  content!: string;

  @Column('boolean', { name: 'is_staff', default: false })
  isStaff!: boolean;

  /** The author's role when they wrote it (`admin`, `moderator`, or null), as every view shows it. */
  @Column('varchar', { name: 'author_role', length: 16, nullable: true })
  authorRole!: 'admin' | 'moderator' | null;

  @Column('varchar', { length: 16 })
  source!: MessageSource;

  /**
   * The message's id in the ticket's Discord channel: for a Discord message, where it came from; for an
   * app message, set once it has been posted there (null: not mirrored yet).
   */
  @Index({ unique: true })
  @Column('varchar', { name: 'discord_message_id', length: 20, nullable: true })
  discordMessageId!: string | null;

  /** Attachment URLs. */
  @Column('simple-json')
  attachments!: string[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
