import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A floor for the next ticket number, so numbers carried over from the original server's
 * ticket_counter.json are never handed out again. New numbers are max(MAX(ticket_num) + 1, floor).
 */
@Entity({ name: 'ticket_sequence' })
export class TicketSequence {
  @PrimaryColumn('varchar', { length: 32 })
  name!: string;

  @Column('integer', { name: 'next_value' })
  nextValue!: number;
}
