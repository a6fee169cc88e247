export { configureApp, corsOptions } from './configure-app';
export { HttpModule } from './http.module';
export { parseJsonBody } from './json-body';
