import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { DomainError } from '../core/errors';

/** Throttling answers in the error shape, with a plain Retry-After header as HTTP defines it. */
@Injectable()
export class GuildhallThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    await Promise.resolve();
    throw new DomainError('TOO_MANY_REQUESTS', 429, 'Too many requests; retry later');
  }
}
