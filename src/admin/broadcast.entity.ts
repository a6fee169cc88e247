import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An announcement an admin sent to every app user. */
@Entity({ name: 'broadcasts' })
export class Broadcast {
  /** A UUID, made by the service. */
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 200 })
  title!: string;

  @Column('text')
  message!: string;

  /** `low`, `normal` or `high`. */
  @Column('varchar', { length: 10 })
  priority!: string;

  /** `user:<id>`. */
  @Column('varchar', { name: 'sent_by', length: 80 })
  sentBy!: string;

  @Column('varchar', { name: 'sent_by_name', length: 100 })
  sentByName!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
