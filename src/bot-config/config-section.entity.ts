import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One configuration section as an admin last saved it; a section without a row has its defaults. */
@Entity({ name: 'config_sections' })
export class ConfigSection {
  @PrimaryColumn('varchar', { length: 40 })
  name!: string;

  /** The whole section as JSON; null after a reset (the defaults apply). */
  @Column('text', { nullable: true })
  value!: string | null;

  /** Counts every change, so concurrent writers cannot overwrite each other unseen. */
  @Column('integer')
  version!: number;

  /** Who changed it last (`user:<id>`). */
  @Column('varchar', { name: 'updated_by', length: 80 })
  updatedBy!: string;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
