import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Members assigned to a cohort by the original server (its users.txt), kept by e-mail address. */
@Entity({ name: 'imported_members' })
export class ImportedMember {
  @PrimaryColumn('varchar', { length: 254 })
  email!: string;

  @Column('varchar', { length: 16 })
  cohort!: string;

  @CreateDateColumn({ name: 'imported_at' })
  importedAt!: Date;
}
