export { RealtimeHub } from './realtime-hub';
export { RealtimeModule } from './realtime.module';
export { GuildhallIoAdapter } from './socket-io.adapter';
