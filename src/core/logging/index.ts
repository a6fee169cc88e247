export { LoggingModule } from './logging.module';
export { REQUEST_ID_HEADER } from './request-logger';
export { REDACTED, redactUrl } from './redact';
export { LogSink, type LogSinkState } from './log-sink';
export { LogRing } from './log-ring';
