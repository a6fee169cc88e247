import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import type { ApiKeyScope } from './permissions';
import { User } from './user.entity';

/** A partner key. Only its SHA-256 hash is stored; the prefix is the visible part. */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 100 })
  name!: string;

  @Index({ unique: true })
  @Column('varchar', { length: 16 })
  prefix!: string;

  @Index({ unique: true })
  @Column('varchar', { name: 'key_hash', length: 64 })
  keyHash!: string;

  @Column('simple-json')
  scopes!: ApiKeyScope[];

  @Column('varchar', { name: 'created_by_id', length: 36, nullable: true })
  createdById!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: User | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ type: Date, name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: Date, name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: Date, name: 'rotated_at', nullable: true })
  rotatedAt!: Date | null;

  @Column({ type: Date, name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
