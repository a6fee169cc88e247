import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type InviteSource = 'manual' | 'generated' | 'accept' | 'bulk' | 'imported';

@Entity({ name: 'invite_codes' })
export class InviteCode {
  /** Also the code's `line_number`: assigned in creation order and never reused or renumbered. */
  @PrimaryGeneratedColumn()
  id!: number;

  /** Case-sensitive and unique. */
  @Index({ unique: true })
  @Column('varchar', { length: 80 })
  code!: string;

  /** The preferred cohort (BC1, BC2, ...); redemption overflows to the next with room. */
  @Column('varchar', { length: 16 })
  cohort!: string;

  @Column('integer', { name: 'max_uses' })
  maxUses!: number;

  @Column('integer', { name: 'used_count', default: 0 })
  usedCount!: number;

  @Column('varchar', { length: 16 })
  source!: InviteSource;

  /** For acceptance codes: who the code was made for. */
  @Column('varchar', { length: 254, nullable: true })
  email!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  name!: string | null;

  /** `key:<id>` or `user:<id>`. */
  @Column('varchar', { name: 'created_by', length: 64, nullable: true })
  createdBy!: string | null;

  @Column({ type: Date, name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: Date, name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
