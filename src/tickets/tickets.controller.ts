import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { UserPrincipal } from '../auth/principal';
import {
  AssignTicketDto,
  ClaimTicketDto,
  CloseTicketDto,
  CreateTicketDto,
  MarkReadDto,
  MessageListDto,
  MessagePostedDto,
  MessageSentDto,
  MessagesQueryDto,
  PostMessageDto,
  SendMessageDto,
  TicketActionDto,
  TicketCreatedDto,
  TicketDetailDto,
  TicketListDto,
  TicketListQueryDto,
  TranscriptQueryDto,
  UpdateTicketDto,
} from './dto/tickets.dto';
import type { TicketStatus } from './ticket.entity';
import { messageView, type People, ticketView } from './ticket-views';
import { DiscordMembers } from '../core/discord';
import { actorOf, type Actor, TicketsService } from './tickets.service';

/** Support tickets for the HazeBot app: the app's routes and the README's, over one service. */
@ApiTags('tickets')
@Authenticated()
@Controller('api/tickets')
export class TicketsController {
  private readonly people: People;

  constructor(
    private readonly tickets: TicketsService,
    members: DiscordMembers,
  ) {
    this.people = (id) => members.profile(id);
  }

  /** Staff (tickets.read) see every ticket, members their own. Newest first, paged. */
  @Get()
  async list(
    @CurrentPrincipal() principal: UserPrincipal,
    @Query() query: TicketListQueryDto,
  ): Promise<TicketListDto> {
    return this.page(actorOf(principal), query, false);
  }

  /** The caller's own tickets. */
  @Get('my')
  async mine(
    @CurrentPrincipal() principal: UserPrincipal,
    @Query() query: TicketListQueryDto,
  ): Promise<TicketListDto> {
    return this.page(actorOf(principal), query, true);
  }

  @Post()
  async create(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: CreateTicketDto,
  ): Promise<TicketCreatedDto> {
    const ticket = await this.tickets.create(actorOf(principal), body);
    return {
      success: true,
      ticket_id: ticket.id,
      ticket_num: ticket.ticketNum,
      channel_id: ticket.channelId,
      message: `Ticket #${ticket.ticketNum} created successfully!`,
    };
  }

  /** One ticket with its first 100 messages. Another member's ticket is 404. */
  @Get(':id')
  async get(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
  ): Promise<TicketDetailDto> {
    const actor = actorOf(principal);
    const ticket = await this.tickets.get(actor, id);
    const [views, messages] = await Promise.all([
      this.tickets.readerViews(actor, [ticket]),
      this.tickets.messagesOf(actor, id, { limit: 100 }),
    ]);
    return {
      ...ticketView(ticket, views.get(ticket.id), this.people),
      messages: messages.map((m) => messageView(m)),
    };
  }

  /** Staff only. */
  @Put(':id')
  async update(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: UpdateTicketDto,
  ): Promise<TicketActionDto> {
    await this.tickets.update(actorOf(principal), id, {
      status: body.status?.toLowerCase() as TicketStatus | undefined,
      type: body.type,
      claimedBy: body.claimed_by,
      assignedTo: body.assigned_to,
    });
    return { success: true, message: 'Ticket updated successfully' };
  }

  @Delete(':id')
  @RequirePermission('tickets.delete')
  async delete(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
  ): Promise<TicketActionDto> {
    const ticket = await this.tickets.delete(actorOf(principal), id);
    return { success: true, message: `Ticket #${ticket.ticketNum} deleted successfully` };
  }

  @Post(':id/claim')
  @RequirePermission('tickets.manage')
  @HttpCode(200)
  async claim(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: ClaimTicketDto,
  ): Promise<TicketActionDto> {
    const actor = actorOf(principal);
    const claimer =
      body.user_id && body.user_id !== actor.id ? { id: body.user_id, name: null } : undefined;
    await this.tickets.claim(actor, id, claimer);
    return { success: true, message: 'Ticket claimed successfully' };
  }

  @Post(':id/assign')
  @RequirePermission('tickets.manage')
  @HttpCode(200)
  async assign(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: AssignTicketDto,
  ): Promise<TicketActionDto> {
    await this.tickets.assign(actorOf(principal), id, { id: body.assigned_to, name: null });
    return { success: true, message: 'Ticket assigned successfully' };
  }

  /** The opener or staff. */
  @Post(':id/close')
  @HttpCode(200)
  async close(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: CloseTicketDto,
  ): Promise<TicketActionDto> {
    await this.tickets.close(actorOf(principal), id, body.close_message ?? null);
    return { success: true, message: 'Ticket closed successfully' };
  }

  /** The opener or staff; at most 3 times. */
  @Post(':id/reopen')
  @HttpCode(200)
  async reopen(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
  ): Promise<TicketActionDto> {
    await this.tickets.reopen(actorOf(principal), id);
    return { success: true, message: 'Ticket reopened successfully' };
  }

  /** The transcript written when the ticket closed: `format=text` (default) or `html`. */
  @Get(':id/transcript')
  @ApiProduces('text/plain', 'text/html')
  async transcript(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Query() query: TranscriptQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { text, html } = await this.tickets.transcript(actorOf(principal), id);
    res.type(query.format === 'html' ? 'text/html' : 'text/plain');
    return query.format === 'html' ? html : text;
  }

  /** Messages in stored order. */
  @Get(':id/messages')
  async messages(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Query() query: MessagesQueryDto,
  ): Promise<MessageListDto> {
    const messages = await this.tickets.messagesOf(actorOf(principal), id, {
      after: query.after,
      limit: query.limit ?? 500,
    });
    return { messages: messages.map((m) => messageView(m)), from_cache: false };
  }

  /** The opener on their own ticket, or staff. */
  @Post(':id/messages')
  @HttpCode(200)
  async postMessage(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: PostMessageDto,
  ): Promise<MessagePostedDto> {
    const actor = actorOf(principal);
    const message = await this.tickets.postMessage(actor, id, body.content.trim());
    return {
      success: true,
      message: 'Message sent successfully',
      data: messageView(message, actor.role),
    };
  }

  /** The HazeBot README's form of posting a message. */
  @Post(':id/send')
  @HttpCode(200)
  async send(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: SendMessageDto,
  ): Promise<MessageSentDto> {
    const actor = actorOf(principal);
    const message = await this.tickets.postMessage(actor, id, body.message.trim());
    return { success: true, message: messageView(message, actor.role) };
  }

  /** Clears the caller's unread count. */
  @Post(':id/mark-read')
  @HttpCode(200)
  async markRead(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
  ): Promise<MarkReadDto> {
    await this.tickets.markRead(actorOf(principal), id);
    return { success: true };
  }

  private async page(
    actor: Actor,
    query: TicketListQueryDto,
    mine: boolean,
  ): Promise<TicketListDto> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const status = query.status?.toLowerCase() as TicketStatus | 'all' | undefined;
    const { tickets, total } = await this.tickets.list(actor, { status, mine, limit, offset });
    const views = await this.tickets.readerViews(actor, tickets);
    return {
      tickets: tickets.map((t) => ticketView(t, views.get(t.id), this.people)),
      total,
      limit,
      offset,
    };
  }
}
