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
import { DiscordMembers } from '../core/discord';
import { type TicketActor, ticketActor } from './ticket-actor';
import { TicketMessages } from './ticket-messages.service';
import { TicketTransitions } from './ticket-transitions.service';
import type { TicketStatus } from './ticket.entity';
import { messageView, type People, TicketListViews, ticketView } from './ticket-views';
import { ClaimerRequired } from './tickets.errors';
import { TicketsService } from './tickets.service';
import { CogRoutes } from '../cogs/cog-feature';

/** Support tickets for the HazeBot app: the app's routes and the HazeBot API document's, mapped to the services. */
@ApiTags('tickets')
@Authenticated()
@CogRoutes('TicketSystem')
@Controller('api/tickets')
export class TicketsController {
  private readonly people: People;
  private readonly lists: TicketListViews;

  constructor(
    private readonly tickets: TicketsService,
    private readonly transitions: TicketTransitions,
    private readonly chat: TicketMessages,
    members: DiscordMembers,
  ) {
    this.people = (id) => members.profile(id);
    this.lists = new TicketListViews(this.people);
  }

  /** Staff (tickets.read) see every ticket, members their own. Newest first, paged. */
  @Get()
  list(
    @CurrentPrincipal() principal: UserPrincipal,
    @Query() query: TicketListQueryDto,
  ): Promise<TicketListDto> {
    return this.page(ticketActor(principal), query, false);
  }

  /** The caller's own tickets. */
  @Get('my')
  mine(
    @CurrentPrincipal() principal: UserPrincipal,
    @Query() query: TicketListQueryDto,
  ): Promise<TicketListDto> {
    return this.page(ticketActor(principal), query, true);
  }

  @Post()
  async create(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: CreateTicketDto,
  ): Promise<TicketCreatedDto> {
    const { ticket } = await this.tickets.open(ticketActor(principal), body);
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
    const { ticket, reader, messages } = await this.tickets.detail(ticketActor(principal), id);
    return { ...ticketView(ticket, reader, this.people), messages: messages.map(messageView) };
  }

  /**
   * Staff only. `type` changes the field; `status`, `claimed_by` and `assigned_to` go through the
   * same transitions as claim, assign, close and reopen, with their effects; clearing
   * `claimed_by` or `assigned_to` is refused (reopening clears both); an impossible change is 409.
   */
  @Put(':id')
  async update(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: UpdateTicketDto,
  ): Promise<TicketActionDto> {
    await this.transitions.update(ticketActor(principal), id, {
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
    const ticket = await this.tickets.delete(ticketActor(principal), id);
    return { success: true, message: `Ticket #${ticket.ticketNum} deleted successfully` };
  }

  /** Claims for `user_id` (required, as the app sends it): the caller or another staff member. */
  @Post(':id/claim')
  @RequirePermission('tickets.manage')
  @HttpCode(200)
  async claim(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: ClaimTicketDto,
  ): Promise<TicketActionDto> {
    if (body.user_id === undefined) throw ClaimerRequired();
    await this.transitions.claim(ticketActor(principal), id, body.user_id);
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
    await this.transitions.assign(ticketActor(principal), id, body.assigned_to);
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
    await this.transitions.close(ticketActor(principal), id, body.close_message?.trim() ?? null);
    return { success: true, message: 'Ticket closed successfully' };
  }

  /** The opener or staff; at most TICKET_MAX_REOPENS times. */
  @Post(':id/reopen')
  @HttpCode(200)
  async reopen(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
  ): Promise<TicketActionDto> {
    await this.transitions.reopen(ticketActor(principal), id);
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
    const { text, html } = await this.tickets.transcript(ticketActor(principal), id);
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
    const messages = await this.chat.history(ticketActor(principal), id, {
      after: query.after,
      limit: query.limit ?? 500,
    });
    return { messages: messages.map(messageView), from_cache: false };
  }

  /** The opener on their own ticket, or staff. */
  @Post(':id/messages')
  @HttpCode(200)
  async postMessage(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: PostMessageDto,
  ): Promise<MessagePostedDto> {
    const message = await this.post(ticketActor(principal), id, body.content);
    return { success: true, message: 'Message sent successfully', data: messageView(message) };
  }

  /** The HazeBot README's form of posting a message. */
  @Post(':id/send')
  @HttpCode(200)
  async send(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
    @Body() body: SendMessageDto,
  ): Promise<MessageSentDto> {
    const message = await this.post(ticketActor(principal), id, body.message);
    return { success: true, message: messageView(message) };
  }

  /** Clears the caller's unread count. */
  @Post(':id/mark-read')
  @HttpCode(200)
  async markRead(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id') id: string,
  ): Promise<MarkReadDto> {
    await this.chat.markRead(ticketActor(principal), id);
    return { success: true };
  }

  private async post(actor: TicketActor, id: string, content: string) {
    // An app message is never a duplicate: only Discord deliveries come back as null.
    return (await this.chat.post(actor, id, { content, source: 'app' }))!;
  }

  private async page(
    actor: TicketActor,
    query: TicketListQueryDto,
    mine: boolean,
  ): Promise<TicketListDto> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const status = query.status?.toLowerCase() as TicketStatus | 'all' | undefined;
    const { tickets, total } = await this.tickets.page(actor, { status, mine, limit, offset });
    return this.lists.answer(tickets, { total, limit, offset });
  }
}
