import { ApiProperty } from '@nestjs/swagger';
import { TicketMessageDto } from './tickets.dto';

/**
 * The live-chat protocol's payloads (Socket.IO, default namespace): what the gateway reads and sends,
 * and what the AsyncAPI document (`/docs/asyncapi.json`) describes, from these same classes.
 */

/** Client → server: `join_ticket` and `leave_ticket`. */
export class TicketRoomRequestDto {
  /** The ticket whose room to join or leave. @example "3f2b9c1e-6a0d-4f7b-9c1e-2b3f4a5d6e7f" */
  ticket_id!: string;
  /** Sent by the HazeBot app; ignored (the socket's token says who it is). */
  user_id?: string;
}

/** Server → client, once connected: `connected`. */
export class SocketConnectedDto {
  /** @example "Connected to HazeBot API" */
  message!: string;
}

/** Server → client after `join_ticket`: `message_history`, the ticket's messages oldest first. */
export class MessageHistoryDto {
  ticket_id!: string;
  messages!: TicketMessageDto[];
}

/** Server → client: `joined_ticket` and `left_ticket`. */
export class TicketRoomDto {
  ticket_id!: string;
  /** @example "ticket_3f2b9c1e-6a0d-4f7b-9c1e-2b3f4a5d6e7f" */
  room!: string;
}

/** Server → room: `new_message`, in the order of the ticket's message numbers on every instance. */
export class NewMessageEventDto {
  ticket_id!: string;
  message!: TicketMessageDto;
  /** The same message again, under the name the HazeBot app reads. */
  messageData!: TicketMessageDto;
}

export const TICKET_UPDATE_TYPES = [
  'new_message',
  'ticket_claimed',
  'ticket_assigned',
  'ticket_closed',
  'ticket_reopened',
] as const;

/** Server → room: `ticket_update`, every change of the ticket. */
export class TicketUpdateEventDto {
  ticket_id!: string;
  @ApiProperty({ enum: TICKET_UPDATE_TYPES })
  event_type!: (typeof TICKET_UPDATE_TYPES)[number];
  /**
   * The message for `new_message`; `{claimed_by}`, `{assigned_to}`, `{close_message}` or `{}` for
   * the others.
   */
  data!: Record<string, unknown>;
  /** ISO 8601, UTC. */
  timestamp!: string;
}

/** Server → client: `error`, a refused event (the socket stays connected unless it was dropped). */
export class SocketErrorDto {
  /** What went wrong, for people. @example "ticket_id required" */
  message!: string;
  /** The same text, as REST errors carry it. */
  error?: string;
  /** Machine-readable, as in REST errors. @example "TICKET_NOT_FOUND" */
  error_code?: string;
  /** An HTTP-like status. @example 503 */
  code?: number;
  /** Names the event in the server's log. */
  request_id?: string;
  ticket_id?: string;
  /** Seconds before trying again, when the refusal passes by itself. */
  retry_after?: number;
}
