import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** BC1, BC2, ...: each holds MAX_ROLE_MEMBERS members and maps to a Discord role. */
@Entity({ name: 'cohorts' })
export class Cohort {
  @PrimaryColumn('varchar', { length: 16 })
  name!: string;

  /** Order of overflow: BC1 = 1, BC2 = 2, ... */
  @Index({ unique: true })
  @Column('integer')
  position!: number;

  @Column('varchar', { name: 'discord_role_id', length: 20, nullable: true })
  discordRoleId!: string | null;

  @Column('integer', { name: 'member_count', default: 0 })
  memberCount!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
