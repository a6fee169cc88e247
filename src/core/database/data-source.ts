import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * A DataSource whose time columns are `timestamp with time zone` on PostgreSQL, so that instances in
 * different time zones read and write the same instants. Entities declare them as `Date` (or as
 * creation and update dates), which SQLite stores as UTC text and TypeORM's PostgreSQL driver maps
 * to `timestamp without time zone`; the mapping is changed on this DataSource's driver only.
 */
export function newDataSource(options: DataSourceOptions): DataSource {
  const dataSource = new DataSource(options);
  if (options.type === 'postgres') {
    const driver = dataSource.driver;
    Object.assign(driver.mappedDataTypes, {
      createDate: 'timestamptz',
      updateDate: 'timestamptz',
      deleteDate: 'timestamptz',
    });
    const normalize = driver.normalizeType.bind(driver);
    driver.normalizeType = (column: Parameters<typeof normalize>[0]) =>
      column.type === Date || column.type === 'timestamp' || column.type === 'timestamptz'
        ? 'timestamp with time zone'
        : normalize(column);
  }
  return dataSource;
}
