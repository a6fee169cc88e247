import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsPersonId } from '../../core/validation';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class TicketListQueryDto {
  /** `open`, `claimed`, `closed` or `all` (default), any case. */
  @IsOptional()
  @Matches(/^(open|claimed|closed|all)$/i, {
    message: 'status must be open, claimed, closed or all',
  })
  status?: string;

  /** 1-100, default 50. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class CreateTicketDto {
  /** One of the configured categories (TICKET_CATEGORIES). @example "Support" */
  @IsString()
  @MaxLength(40)
  type!: string;

  @IsString()
  @MinLength(3)
  @MaxLength(100)
  subject!: string;

  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  description!: string;
}

export class UpdateTicketDto {
  @IsOptional()
  @Matches(/^(open|claimed|closed)$/i, { message: 'status must be open, claimed or closed' })
  status?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  type?: string;

  /** As `user_id` of the claim route. */
  @IsOptional()
  @IsPersonId()
  claimed_by?: string | null;

  /** As `assigned_to` of the assign route. */
  @IsOptional()
  @IsPersonId()
  assigned_to?: string | null;
}

export class ClaimTicketDto {
  /**
   * Who claims: the caller's own Discord id (as the app sends it), or another staff member's. A
   * Discord id is 17 to 20 digits (string or exact number); a password user is named by their
   * Guildhall user id, or by `legacy_user` for themself. Required: without it the answer is 400
   * `user_id required`.
   */
  @IsOptional()
  @IsPersonId()
  user_id?: string;
}

export class AssignTicketDto {
  /** The assignee: a Discord id (17 to 20 digits), a Guildhall user id, or `legacy_user` for oneself. */
  @IsPersonId()
  assigned_to!: string;
}

export class CloseTicketDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  close_message?: string;
}

export class PostMessageDto {
  @IsString()
  @MinLength(1, { message: 'Message content required' })
  @MaxLength(4000)
  content!: string;
}

/** The HazeBot README's `POST /api/tickets/:id/send`. */
export class SendMessageDto {
  @IsString()
  @MinLength(1, { message: 'Message content required' })
  @MaxLength(4000)
  message!: string;
}

export class MessagesQueryDto {
  /** Only messages after this id. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  /** 1-1000, default 500. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class TranscriptQueryDto {
  @IsOptional()
  @Matches(/^(text|html)$/, { message: 'format must be text or html' })
  @ApiProperty({ enum: ['text', 'html'], required: false })
  format?: 'text' | 'html';
}

export class TicketMessageDto {
  id!: string;
  ticket_id!: string;
  author_id!: string;
  author_name!: string;
  author_avatar!: string | null;
  content!: string;
  /** The text as written (no relay prefix). */
  display_content!: string;
  timestamp!: string;
  is_bot!: boolean;
  /** Written by staff. */
  is_admin!: boolean;
  role!: string | null;
  /** `app` or `discord`. */
  source!: string;
  attachments!: string[];
}

export class TicketDto {
  ticket_id!: string;
  ticket_num!: number;
  channel_id!: string | null;
  user_id!: string;
  username!: string;
  display_name!: string;
  avatar_url!: string | null;
  type!: string;
  /** `Open`, `Claimed` or `Closed`. */
  status!: string;
  subject!: string;
  description!: string;
  initial_message!: string;
  created_at!: string;
  closed_at!: string | null;
  close_reason!: string | null;
  claimed_by!: string | null;
  claimed_by_name!: string | null;
  claimed_by_avatar!: string | null;
  assigned_to!: string | null;
  assigned_to_name!: string | null;
  assigned_to_avatar!: string | null;
  reopen_count!: number;
  /** Messages the caller has not read. */
  unread_count!: number;
  /** Text of the newest message. */
  last_message!: string | null;
}

export class TicketDetailDto extends TicketDto {
  /** The first messages, oldest first (all of them through `/messages`). */
  messages!: TicketMessageDto[];
}

export class TicketListDto {
  tickets!: TicketDto[];
  total!: number;
  limit!: number;
  offset!: number;
}

export class TicketCreatedDto {
  success!: true;
  ticket_id!: string;
  ticket_num!: number;
  channel_id!: string | null;
  message!: string;
}

export class TicketActionDto {
  success!: true;
  message!: string;
}

export class MessageListDto {
  messages!: TicketMessageDto[];
  from_cache!: false;
}

export class MessagePostedDto {
  success!: true;
  message!: string;
  data!: TicketMessageDto;
}

export class MessageSentDto {
  success!: true;
  message!: TicketMessageDto;
}

export class MarkReadDto {
  success!: true;
}
