export { PUSH_KINDS, PushQueue, type TicketPushEvent } from './push-queue';
export { PushModule } from './push.module';
