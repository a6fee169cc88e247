import { isDiscordId, LEGACY_USER } from '../core/validation';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { UsersService } from '../auth/users.service';
import { TransactionRunner } from '../core/database';
import { BotSettings } from '../bot-config/bot-settings';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';
import { EMAIL_OUTBOX_KIND, MailService } from '../core/mail';
import { OutboxService } from '../core/outbox';
import { PushQueue } from '../core/push';
import { readableTicket, type TicketActor, ticketActor, TicketPolicy } from './ticket-actor';
import { type TicketEvent, TicketEvents } from './ticket-events';
import { TicketMirror } from './ticket-mirror';
import { allows, refusal, type TicketChange, TRANSITIONS } from './ticket-state';
import type { Ticket, TicketStatus } from './ticket.entity';
import {
  ClaimerNotFound,
  ClaimerNotStaff,
  InvalidTicketType,
  InvalidTransition,
  NotTicketStaff,
  ReopenLimit,
  TicketChangedMeanwhile,
  TicketNotFound,
  UnsupportedTicketChange,
} from './tickets.errors';
import { TicketsRepository } from './tickets.repository';
import { transcriptOf } from './transcript';

export interface TicketPatch {
  status?: TicketStatus;
  type?: string;
  claimedBy?: string | null;
  assignedTo?: string | null;
}

interface Person {
  id: string;
  name: string | null;
}

/**
 * Every change of a ticket's state, whoever asks (REST, PUT, a slash command, the clean-up job):
 * the rule of the state machine, the conditional UPDATE that makes concurrent changes take turns,
 * and the change's effects in the same transaction (Discord notices through the outbox, the
 * transcript and its e-mail), with the socket event after the commit. Each returns the ticket as it
 * now is, without reading it back.
 */
@Injectable()
export class TicketTransitions {
  constructor(
    private readonly config: AppConfig,
    private readonly settings: BotSettings,
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsRepository,
    private readonly mirror: TicketMirror,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly events: TicketEvents,
    private readonly pushes: PushQueue,
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  /** Claims for `claimerId` (a staff member's Discord or user id), the caller by default. */
  async claim(actor: TicketActor, id: string, claimerId?: string): Promise<Ticket> {
    const ticket = await this.managed(actor, id, 'claim');
    return this.claimAs(ticket, await this.claimer(actor, claimerId));
  }

  async assign(actor: TicketActor, id: string, assigneeId: string): Promise<Ticket> {
    const ticket = await this.managed(actor, id, 'assign');
    return this.assignTo(ticket, await this.person(ownId(actor, assigneeId)));
  }

  /** The opener or whoever manages tickets. */
  async close(actor: TicketActor, id: string, reason: string | null): Promise<Ticket> {
    const ticket = await readableTicket(this.tickets, actor, id);
    if (!TicketPolicy.takesPart(actor, ticket)) throw NotTicketStaff('close');
    return this.closeAs(ticket, actor.id, reason || null);
  }

  /** Back to open, claim and assignment cleared; at most TICKET_MAX_REOPENS times. */
  async reopen(actor: TicketActor, id: string): Promise<Ticket> {
    const ticket = await readableTicket(this.tickets, actor, id);
    if (!TicketPolicy.takesPart(actor, ticket)) throw NotTicketStaff('reopen');
    return this.reopenTicket(ticket);
  }

  /**
   * `PUT /api/tickets/:id`, staff only: `type` is a plain field; `status`, `claimed_by` and
   * `assigned_to` go through the same transitions as their own routes, all in one transaction.
   */
  async update(actor: TicketActor, id: string, patch: TicketPatch): Promise<Ticket> {
    const found = await this.managed(actor, id, 'update');
    if (patch.claimedBy === null || patch.assignedTo === null) {
      throw UnsupportedTicketChange(
        'claimed_by and assigned_to cannot be cleared; reopening a closed ticket clears both',
      );
    }
    const { categories } = this.settings.get('tickets');
    if (patch.type !== undefined && !categories.includes(patch.type)) {
      throw InvalidTicketType([...categories]);
    }
    const claimer =
      patch.claimedBy !== undefined || patch.status === 'claimed'
        ? await this.claimer(actor, patch.claimedBy)
        : undefined;
    const assignee = patch.assignedTo
      ? await this.person(ownId(actor, patch.assignedTo))
      : undefined;
    return this.transactions.run(async (manager) => {
      let ticket = found;
      if (patch.type !== undefined && patch.type !== ticket.type) {
        await this.tickets.setFields(manager, ticket.id, { type: patch.type });
        ticket = { ...ticket, type: patch.type };
      }
      if (claimer) ticket = await this.claimAs(ticket, claimer);
      if (assignee) ticket = await this.assignTo(ticket, assignee);
      if (patch.status === 'closed') ticket = await this.closeAs(ticket, actor.id, null);
      if (patch.status === 'open' && ticket.status !== 'open') {
        if (ticket.status !== 'closed') throw InvalidTransition(ticket.status, 'open');
        ticket = await this.reopenTicket(ticket);
      }
      return ticket;
    });
  }

  private claimAs(ticket: Ticket, who: Person): Promise<Ticket> {
    return this.change(
      ticket,
      'claim',
      { claimedBy: who.id, claimedByName: who.name, status: 'claimed' },
      async (manager) => {
        await this.mirror.noticeWith(
          manager,
          ticket.id,
          `✋ **Ticket claimed by ${who.name ?? who.id}**`,
        );
        this.publishAfterCommit({ type: 'ticket_claimed', ticketId: ticket.id, claimedBy: who.id });
      },
      { sql: 'claimed_by IS NULL', parameters: {} },
    );
  }

  private assignTo(ticket: Ticket, assignee: Person): Promise<Ticket> {
    return this.change(
      ticket,
      'assign',
      { assignedTo: assignee.id, assignedToName: assignee.name },
      async (manager) => {
        await this.mirror.noticeWith(
          manager,
          ticket.id,
          `👤 **Ticket assigned to ${assignee.name ?? assignee.id}**`,
        );
        await this.pushes.ticket(manager, {
          event: 'ticket_assigned',
          ticketId: ticket.id,
          assignedTo: assignee.id,
        });
        this.publishAfterCommit({
          type: 'ticket_assigned',
          ticketId: ticket.id,
          assignedTo: assignee.id,
        });
      },
    );
  }

  private async reopenTicket(ticket: Ticket): Promise<Ticket> {
    const max = this.config.tickets.maxReopens;
    if (ticket.status === 'closed' && ticket.reopenCount >= max) throw ReopenLimit(max);
    return this.change(
      ticket,
      'reopen',
      {
        status: 'open',
        claimedBy: null,
        claimedByName: null,
        assignedTo: null,
        assignedToName: null,
        reopenCount: ticket.reopenCount + 1,
      },
      async (manager) => {
        await this.mirror.reopenedWith(manager, ticket.id);
        this.publishAfterCommit({ type: 'ticket_reopened', ticketId: ticket.id });
      },
      // Against the stored count: two reopens at once cannot both pass the limit.
      {
        sql: 'reopen_count = :count AND reopen_count < :max',
        parameters: { count: ticket.reopenCount, max },
      },
    );
  }

  /** Closes open tickets nobody has written in for `tickets.auto_close_hours`. Returns how many. */
  async closeIdle(now = new Date()): Promise<number> {
    const hours = this.settings.get('tickets').auto_close_hours;
    if (hours <= 0) return 0;
    const idle = await this.tickets.idleSince(new Date(now.getTime() - hours * 3_600_000));
    let closed = 0;
    for (const ticket of idle) {
      try {
        await this.closeAs(
          ticket,
          'system',
          `Closed automatically after ${hours} hours without activity`,
        );
        closed += 1;
      } catch (error) {
        // Closed meanwhile by someone else: nothing to do.
        if (!(error instanceof DomainError) || error.status >= 500) throw error;
      }
    }
    return closed;
  }

  /** Status, transcript, Discord's close effects and the transcript e-mail, in one transaction. */
  private closeAs(ticket: Ticket, closedBy: string, reason: string | null): Promise<Ticket> {
    const closedAt = new Date();
    if (!allows('close', ticket.status)) throw refusal('close', ticket);
    return this.transactions.run(async (manager) => {
      const messages = await this.tickets.allMessagesOf(manager, ticket.id);
      const { text, html } = transcriptOf(ticket, messages, closedAt, reason);
      return this.change(
        ticket,
        'close',
        {
          status: 'closed',
          closedAt,
          closedBy,
          closeReason: reason,
          transcriptText: text,
          transcriptHtml: html,
        },
        async (inner) => {
          await this.mirror.closedWith(inner, ticket.id);
          const mailing = this.settings.get('tickets');
          const to = mailing.send_transcript_email ? mailing.transcript_email_address : '';
          if (to && this.mail.enabled) {
            await this.outbox.enqueue(inner, EMAIL_OUTBOX_KIND, {
              to,
              subject: `Ticket #${ticket.ticketNum} closed: ${ticket.subject}`,
              text,
              html,
            });
          }
          this.publishAfterCommit({
            type: 'ticket_closed',
            ticketId: ticket.id,
            closeMessage: reason ?? '',
          });
        },
      );
    });
  }

  /**
   * Applies one change if the state machine allows it from the status the row has when it is
   * written, with its effects; otherwise the refusal for the status it has now.
   */
  private async change(
    ticket: Ticket,
    change: TicketChange,
    changes: Partial<Ticket>,
    effects: (manager: EntityManager) => Promise<void>,
    extra?: { sql: string; parameters: Record<string, unknown> },
  ): Promise<Ticket> {
    if (!allows(change, ticket.status)) throw refusal(change, ticket);
    const changed = await this.transactions.run(async (manager) => {
      if (!(await this.tickets.transition(manager, ticket.id, TRANSITIONS[change], changes, extra)))
        return undefined;
      await effects(manager);
      return { ...ticket, ...changes, updatedAt: new Date() };
    });
    if (changed) return changed;
    // Someone else changed it first: the refusal for how it is now.
    const current = await this.tickets.find(ticket.id);
    if (!current) throw TicketNotFound();
    if (!allows(change, current.status)) throw refusal(change, current);
    if (change === 'claim') throw refusal('claim', { status: 'claimed' });
    if (change === 'reopen' && current.reopenCount >= this.config.tickets.maxReopens)
      throw ReopenLimit(this.config.tickets.maxReopens);
    throw TicketChangedMeanwhile();
  }

  private async managed(actor: TicketActor, id: string, action: string): Promise<Ticket> {
    const ticket = await readableTicket(this.tickets, actor, id);
    if (!TicketPolicy.manages(actor)) throw NotTicketStaff(action);
    return ticket;
  }

  /** Who claims: the caller, or another Guildhall user who may manage tickets. */
  private async claimer(actor: TicketActor, claimerId?: string): Promise<Person> {
    if (claimerId === undefined || ownId(actor, claimerId) === actor.id)
      return { id: actor.id, name: actor.name };
    const user = await this.users.get(claimerId).catch(() => {
      throw ClaimerNotFound();
    });
    const claimer = ticketActor(this.auth.actorFor(user));
    if (!TicketPolicy.manages(claimer)) throw ClaimerNotStaff();
    return { id: claimer.id, name: claimer.name };
  }

  /** A person named by id, with their name when Guildhall knows them. */
  private async person(id: string): Promise<Person> {
    const user = await this.users.get(id).catch(() => null);
    return user
      ? { id: user.discordId ?? user.id, name: user.displayName ?? user.username }
      : { id, name: null };
  }

  private publishAfterCommit(event: TicketEvent): void {
    this.transactions.afterCommit(() => this.events.publish(event));
  }
}

/**
 * `legacy_user` is what `/auth/me` gives a password user as `discord_id`, so the app sends it back
 * as "me": it names the caller when the caller is a password user, and nobody otherwise.
 */
function ownId(actor: TicketActor, id: string): string {
  if (id !== LEGACY_USER) return id;
  if (!isDiscordId(actor.id)) return actor.id;
  throw new DomainError(
    'NOT_A_PASSWORD_USER',
    400,
    'legacy_user names the password user who sends it; name a Discord id instead',
  );
}
