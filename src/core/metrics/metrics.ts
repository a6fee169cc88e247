import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Socket.IO events the protocol has; any other name is counted as `other` (bounded labels). */
const SOCKET_EVENTS = new Set([
  'join_ticket',
  'leave_ticket',
  'connected',
  'message_history',
  'joined_ticket',
  'left_ticket',
  'new_message',
  'ticket_update',
  'broadcast',
  'error',
]);

/** Seconds; from a fast cached read to a slow Discord round trip. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of this instance (prom-client), in a registry of its own, so that two
 * applications in one process (tests) never share counters. Modules count through the fields here;
 * values that are cheaper to read than to track (open sockets, outbox backlog) are gauges read when
 * `/metrics` is scraped, through `onScrape`.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request to the end of the answer, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly socketEvents = new Counter({
    name: 'socketio_events_total',
    help: 'Socket.IO events received from (in) and sent to (out) clients, by event.',
    labelNames: ['direction', 'event'] as const,
    registers: [this.registry],
  });

  readonly socketThrottled = new Counter({
    name: 'socketio_throttled_total',
    help: 'Socket.IO events refused over the budget (refused), and sockets dropped for flooding (dropped).',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  readonly socketConnections = new Gauge({
    name: 'socketio_connections',
    help: 'Socket.IO clients connected to this instance.',
    registers: [this.registry],
  });

  readonly socketRooms = new Gauge({
    name: 'socketio_rooms',
    help: 'Ticket rooms with at least one socket on this instance.',
    registers: [this.registry],
  });

  readonly outboxAttempts = new Counter({
    name: 'outbox_delivery_attempts_total',
    help: 'Outbox deliveries tried by this instance, by kind and outcome (sent, retry, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly outboxMessages = new Gauge({
    name: 'outbox_messages',
    help: 'Outbox messages waiting (pending) or given up (failed), by kind.',
    labelNames: ['status', 'kind'] as const,
    registers: [this.registry],
  });

  readonly outboxOldestPending = new Gauge({
    name: 'outbox_oldest_pending_seconds',
    help: 'Age of the oldest pending outbox message (0 when none waits).',
    registers: [this.registry],
  });

  readonly discordGatewayUp = new Gauge({
    name: 'discord_gateway_up',
    help: '1 while this instance is logged in to the Discord gateway and ready.',
    registers: [this.registry],
  });

  readonly discordRestErrors = new Counter({
    name: 'discord_rest_errors_total',
    help: 'Discord REST answers of 400 or more, by status.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly databaseTransactions = new Histogram({
    name: 'database_transaction_duration_seconds',
    help: 'Time of a write transaction, queueing included, by outcome (commit, rollback).',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly databaseCommitGroups = new Histogram({
    name: 'database_commit_transactions',
    help: 'Transactions that shared one SQLite COMMIT (group commit).',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly databaseReads = new Histogram({
    name: 'database_read_duration_seconds',
    help: 'Time of a read on the hot path (ticket lists, messages, sessions), queueing included.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly databaseReadCache = new Counter({
    name: 'database_read_cache_total',
    help: 'Hot reads kept in memory until the database changes (SQLite), by result (hit, miss).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly loginFailures = new Counter({
    name: 'auth_login_failures_total',
    help: 'Password logins refused (unknown user, wrong password, banned).',
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests answered 429 (a rate limit, a budget or a cool-down), by route template.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  private readonly scrapeHooks: (() => Promise<void> | void)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Runs `hook` before every scrape, to set gauges that are read rather than tracked. */
  onScrape(hook: () => Promise<void> | void): void {
    this.scrapeHooks.push(hook);
  }

  socketEvent(direction: 'in' | 'out', event: string): void {
    this.socketEvents.inc({ direction, event: SOCKET_EVENTS.has(event) ? event : 'other' });
  }

  /** The text exposition format, gauges refreshed first (a failing hook leaves its gauge as it was). */
  async scrape(): Promise<string> {
    await Promise.allSettled(this.scrapeHooks.map(async (hook) => hook()));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
