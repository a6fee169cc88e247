import { BroadcastDto } from '../admin/dto/admin.dto';
import type { SocketProtocol } from '../core/openapi';
import {
  MessageHistoryDto,
  NewMessageEventDto,
  SocketConnectedDto,
  SocketErrorDto,
  TicketRoomDto,
  TicketRoomRequestDto,
  TicketUpdateEventDto,
} from './dto/socket.dto';

/** The live-chat protocol as the AsyncAPI document describes it, with the gateway's own classes. */
export const TICKET_SOCKET_PROTOCOL: SocketProtocol = {
  title: 'Guildhall live chat',
  description:
    'Socket.IO (v4, default namespace and path `/socket.io/`, WebSocket or long polling) for the ' +
    'HazeBot app. The handshake carries the JWT as `auth.token`, a `token` query parameter or an ' +
    '`Authorization: Bearer` header; a refused handshake answers `connect_error` with the REST ' +
    'error body as `data`. With SOCKET_ALLOW_ANONYMOUS a token-less socket may only listen.',
  messages: [
    {
      name: 'join_ticket',
      direction: 'send',
      summary: 'Joins the room of a ticket the caller may read; answered by message_history.',
      payload: TicketRoomRequestDto,
    },
    {
      name: 'leave_ticket',
      direction: 'send',
      summary: 'Leaves a ticket room; answered by left_ticket.',
      payload: TicketRoomRequestDto,
    },
    {
      name: 'connected',
      direction: 'receive',
      summary: 'Sent once the handshake was accepted.',
      payload: SocketConnectedDto,
    },
    {
      name: 'message_history',
      direction: 'receive',
      summary: "The ticket's messages, oldest first, after join_ticket.",
      payload: MessageHistoryDto,
    },
    {
      name: 'joined_ticket',
      direction: 'receive',
      summary: 'The room was joined.',
      payload: TicketRoomDto,
    },
    {
      name: 'left_ticket',
      direction: 'receive',
      summary: 'The room was left.',
      payload: TicketRoomDto,
    },
    {
      name: 'new_message',
      direction: 'receive',
      summary: 'A message of a ticket whose room the socket is in, in message order.',
      payload: NewMessageEventDto,
    },
    {
      name: 'ticket_update',
      direction: 'receive',
      summary: 'Any change of a ticket whose room the socket is in (messages included).',
      payload: TicketUpdateEventDto,
    },
    {
      name: 'broadcast',
      direction: 'receive',
      summary: "An admin's announcement, to every connected socket.",
      payload: BroadcastDto,
    },
    {
      name: 'error',
      direction: 'receive',
      summary:
        'A refused event (bad input, no permission, over the event budget, session ended) or the ' +
        'notice of a server shutting down (error_code SERVER_SHUTTING_DOWN; reconnect).',
      payload: SocketErrorDto,
    },
  ],
};
