export { configureApp } from './configure-app';
export { corsOptions } from './cors';
export { HttpModule } from './http.module';
export { parseJsonBody } from './json-body';
export { ConnectionTracker, ShutdownModule, ShutdownState } from './graceful-shutdown';
