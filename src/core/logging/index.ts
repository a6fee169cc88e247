export { LoggingModule, REQUEST_ID_HEADER } from './logging.module';
export { REDACTED, redactUrl } from './redact';
export { LogSink, type LogSinkState } from './log-sink';
export { LogRing } from './log-ring';
