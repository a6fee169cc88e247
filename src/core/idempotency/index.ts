export { IdempotencyModule } from './idempotency.module';
export { type IdempotentResult, IdempotencyService } from './idempotency.service';
