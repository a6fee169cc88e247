import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The first response to a request carrying an Idempotency-Key, replayed for retries of it. */
@Entity({ name: 'idempotency_records' })
export class IdempotencyRecord {
  /** `<caller>:<route>:<Idempotency-Key>`. */
  @PrimaryColumn('varchar', { length: 300 })
  key!: string;

  /** SHA-256 of the request body: the same key with another body is refused. */
  @Column('varchar', { name: 'request_hash', length: 64 })
  requestHash!: string;

  /** Null while the first request is still running. */
  @Column('integer', { name: 'status_code', nullable: true })
  statusCode!: number | null;

  @Column('text', { name: 'response_body', nullable: true })
  responseBody!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
