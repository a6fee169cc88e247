import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type TicketStatus = 'open' | 'claimed' | 'closed';

/** A support ticket. People are named by their actor id: the Discord id, or the user id without one. */
@Entity({ name: 'tickets' })
@Index(['openerId', 'createdAt'])
export class Ticket {
  /** UUID: the public id in every URL and socket room. */
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  /** Human-readable number (#N), increasing. */
  @Index({ unique: true })
  @Column('integer', { name: 'ticket_num' })
  ticketNum!: number;

  @Column('varchar', { length: 40 })
  type!: string;

  @Column('varchar', { length: 100 })
  subject!: string;

  @Column('text')
  description!: string;

  @Index()
  @Column('varchar', { length: 16 })
  status!: TicketStatus;

  @Column('varchar', { name: 'opener_id', length: 36 })
  openerId!: string;

  @Column('varchar', { name: 'opener_name', length: 100 })
  openerName!: string;

  @Column('varchar', { name: 'opener_avatar', length: 300, nullable: true })
  openerAvatar!: string | null;

  @Column('varchar', { name: 'claimed_by', length: 36, nullable: true })
  claimedBy!: string | null;

  @Column('varchar', { name: 'claimed_by_name', length: 100, nullable: true })
  claimedByName!: string | null;

  @Column('varchar', { name: 'assigned_to', length: 36, nullable: true })
  assignedTo!: string | null;

  @Column('varchar', { name: 'assigned_to_name', length: 100, nullable: true })
  assignedToName!: string | null;

  /** The number of the ticket's latest message; the next one takes the number after it. */
  @Column('integer', { name: 'message_seq', default: 0 })
  messageSeq!: number;

  @Column('integer', { name: 'reopen_count', default: 0 })
  reopenCount!: number;

  /** The Discord channel mirroring the ticket, when bridged; every message in the guild looks it up. */
  @Index()
  @Column('varchar', { name: 'channel_id', length: 20, nullable: true })
  channelId!: string | null;

  @Column('text', { name: 'close_reason', nullable: true })
  closeReason!: string | null;

  @Column('varchar', { name: 'closed_by', length: 36, nullable: true })
  closedBy!: string | null;

  /** Written when the ticket closes. */
  @Column('text', { name: 'transcript_text', nullable: true })
  transcriptText!: string | null;

  @Column('text', { name: 'transcript_html', nullable: true })
  transcriptHtml!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @Column({ type: Date, name: 'closed_at', nullable: true })
  closedAt!: Date | null;
}
