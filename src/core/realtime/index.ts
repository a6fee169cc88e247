export { RealtimeHub } from './realtime-hub';
export { emitToLocalRoom } from './room-emit';
export { RealtimeModule } from './realtime.module';
export { GuildhallIoAdapter } from './socket-io.adapter';
