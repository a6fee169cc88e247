export * from './http-metrics.middleware';
export * from './metrics';
export * from './metrics-access';
export * from './metrics.module';
