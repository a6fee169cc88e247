import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/auth.decorators';
import { OutboxService } from '../core/outbox';
import type { OutboxMessage } from '../core/outbox/outbox-message.entity';
import {
  OutboxKindQueryDto,
  OutboxListDto,
  OutboxListQueryDto,
  OutboxMessageDto,
  OutboxRetriedDto,
  OutboxRetriedFailedDto,
} from './dto/outbox.dto';

/**
 * The outbox for an operator: what waits, what gave up, and queuing it again (after a Discord
 * outage longer than the retries, say). Admins only; `npm run outbox` does the same.
 */
@ApiTags('admin')
@Controller('api/admin/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  /** Messages newest first, by status and kind. */
  @Get()
  @RequirePermission('outbox.manage')
  async list(@Query() query: OutboxListQueryDto): Promise<OutboxListDto> {
    const { messages, total } = await this.outbox.list({
      status: query.status,
      kind: query.kind,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
    return { messages: messages.map(outboxView), total };
  }

  /**
   * Queues every failed message (of `kind`) again, from its first attempt. Must be declared before
   * `:id/retry`, which it would otherwise never reach.
   */
  @Post('retry-failed')
  @RequirePermission('outbox.manage')
  @HttpCode(200)
  async retryFailed(@Query() query: OutboxKindQueryDto): Promise<OutboxRetriedFailedDto> {
    return { success: true, retried: await this.outbox.retryFailed(query.kind) };
  }

  /**
   * Queues one message again from its first attempt; it keeps its id, so a Discord post keeps its
   * nonce. 404 for an unknown id, 409 for a delivered message or one being delivered now.
   */
  @Post(':id/retry')
  @RequirePermission('outbox.manage')
  @HttpCode(200)
  async retry(@Param('id') id: string): Promise<OutboxRetriedDto> {
    return { success: true, message: outboxView(await this.outbox.retry(id)) };
  }
}

export function outboxView(message: OutboxMessage): OutboxMessageDto {
  return {
    id: message.id,
    kind: message.kind,
    payload: message.payload,
    status: message.status,
    attempts: message.attempts,
    last_error: message.lastError,
    created_at: message.createdAt.toISOString(),
    next_attempt_at: message.nextAttemptAt.toISOString(),
    locked_until: message.lockedUntil?.toISOString() ?? null,
    sent_at: message.sentAt?.toISOString() ?? null,
  };
}
