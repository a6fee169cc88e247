import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { DomainError } from '../core/errors';

/** Throttling answers in the error shape, with a plain Retry-After header as HTTP defines it. */
@Injectable()
export class GuildhallThrottlerGuard extends ThrottlerGuard {
  /**
   * The budget's key: the route, the throttler and the caller, as plain text. The library hashes it
   * with SHA-256 on every request for every throttler; nothing here needs the hash.
   */
  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return `${context.getClass().name}.${context.getHandler().name}:${name}:${suffix}`;
  }

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
