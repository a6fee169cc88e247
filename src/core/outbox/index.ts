export { OutboxMessage } from './outbox-message.entity';
export { OutboxModule } from './outbox.module';
export { type OutboxHandler, OutboxService } from './outbox.service';
