export { configureApp } from './configure-app';
export { corsOptions } from './cors';
export { HttpModule } from './http.module';
export { GuildhallExpressAdapter } from './http-server';
export { parseExactJson, parseJsonBody } from './json-body';
export { servedUnchanged } from './reused-json';
export { ConnectionTracker, ShutdownModule, ShutdownState } from './graceful-shutdown';
