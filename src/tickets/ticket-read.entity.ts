import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a reader has read a ticket, for `unread_count`. */
@Entity({ name: 'ticket_reads' })
export class TicketRead {
  @PrimaryColumn('varchar', { name: 'ticket_id', length: 36 })
  ticketId!: string;

  @PrimaryColumn('varchar', { name: 'reader_id', length: 36 })
  readerId!: string;

  @Column('integer', { name: 'last_read_message_id' })
  lastReadMessageId!: number;
}
