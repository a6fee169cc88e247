import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One change to a configuration section: who, when, and the keys it changed before and after. */
@Entity({ name: 'config_audit' })
@Index('IDX_config_audit_section', ['section', 'id'])
export class ConfigAuditEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { length: 40 })
  section!: string;

  /** `update` or `reset`. */
  @Column('varchar', { length: 10 })
  action!: string;

  /** `user:<id>`. */
  @Column('varchar', { length: 80 })
  actor!: string;

  /** The name the actor had at the time, for reading the log after they are gone. */
  @Column('varchar', { name: 'actor_name', length: 100 })
  actorName!: string;

  /** JSON object of the changed keys' old values. */
  @Column('text')
  before!: string;

  /** JSON object of the changed keys' new values. */
  @Column('text')
  after!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
