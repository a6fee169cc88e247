import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A kind of server error: repeats with the same signature are counted on one row. */
@Entity({ name: 'analytics_errors' })
@Index('IDX_analytics_errors_last', ['lastAt'])
export class AnalyticsError {
  /** A hash of the error's type, message (numbers and ids stripped) and route. */
  @PrimaryColumn('varchar', { length: 64 })
  signature!: string;

  @Column('varchar', { length: 100 })
  type!: string;

  @Column('varchar', { length: 500 })
  message!: string;

  /** The route template, or `-` outside a request. */
  @Column('varchar', { length: 200 })
  route!: string;

  @Column('integer')
  count!: number;

  @Column({ type: Date, name: 'first_at' })
  firstAt!: Date;

  @Column({ type: Date, name: 'last_at' })
  lastAt!: Date;

  /** The last occurrence's stack, for whoever looks into it. */
  @Column('text', { nullable: true })
  stack!: string | null;
}
