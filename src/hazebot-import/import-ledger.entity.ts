import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * What `hazebot:import` brought in where the data itself cannot tell on a second run: a UTC day of
 * HazeBot analytics sessions (its raw rows expire with the retention, its rollups are kept).
 */
@Entity({ name: 'import_ledger' })
export class ImportLedger {
  /** The part and kind, e.g. `analytics.sessions`. */
  @PrimaryColumn('varchar', { length: 40 })
  part!: string;

  @PrimaryColumn('varchar', { length: 200 })
  key!: string;

  /** How many rows it stood for when imported. */
  @Column('integer')
  count!: number;

  @CreateDateColumn({ name: 'imported_at' })
  importedAt!: Date;
}
