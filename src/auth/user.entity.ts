import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from './permissions';

export type UserKind = 'password' | 'discord';

@Entity({ name: 'users' })
export class User {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 100 })
  username!: string;

  /** Password users only: the name they log in with (unique). */
  @Index({ unique: true })
  @Column('varchar', { name: 'login_name', length: 100, nullable: true })
  loginName!: string | null;

  /** Discord users only: their snowflake (unique). */
  @Index({ unique: true })
  @Column('varchar', { name: 'discord_id', length: 20, nullable: true })
  discordId!: string | null;

  @Column('varchar', { length: 16 })
  kind!: UserKind;

  @Column('varchar', { length: 16 })
  role!: Role;

  /** Name of the Discord role that made the user admin or moderator. */
  @Column('varchar', { name: 'role_name', length: 100, nullable: true })
  roleName!: string | null;

  @Column('varchar', { name: 'display_name', length: 100, nullable: true })
  displayName!: string | null;

  @Column('varchar', { name: 'avatar_url', length: 300, nullable: true })
  avatarUrl!: string | null;

  @Column({ type: Date, name: 'banned_at', nullable: true })
  bannedAt!: Date | null;

  /** Password users removed from the configuration are disabled, not deleted. */
  @Column({ type: Date, name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
