export { GuildhallIoAdapter } from './socket-io.adapter';
