export * from './lease.module';
export * from './singleton-lease';
