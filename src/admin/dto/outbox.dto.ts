import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;

export class OutboxListQueryDto {
  /** `pending`, `sent` or `failed`; every status when omitted. */
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: (typeof OUTBOX_STATUSES)[number];

  /** A message kind, e.g. `discord.post`, `email`, `push.ticket`. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  kind?: string;

  /** 1-500, default 100. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class OutboxKindQueryDto {
  /** Only messages of this kind; every kind when omitted. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  kind?: string;
}

export class OutboxMessageDto {
  id!: string;
  /** @example "discord.post" */
  kind!: string;
  /** What the handler delivers (a channel and a message, an e-mail, a push). */
  payload!: Record<string, unknown>;
  @ApiProperty({ enum: OUTBOX_STATUSES })
  status!: string;
  /** Delivery attempts since it was written or last queued again. */
  attempts!: number;
  /** Why the last attempt failed. */
  last_error!: string | null;
  /** ISO 8601, UTC. */
  created_at!: string;
  /** When the worker may try it next (pending messages). */
  next_attempt_at!: string;
  /** Set while an instance delivers it. */
  locked_until!: string | null;
  sent_at!: string | null;
}

export class OutboxListDto {
  messages!: OutboxMessageDto[];
  /** Messages matching the filter, all pages. */
  total!: number;
}

export class OutboxRetriedDto {
  success!: true;
  message!: OutboxMessageDto;
}

export class OutboxRetriedFailedDto {
  success!: true;
  /** How many failed messages were queued again. */
  retried!: number;
}
