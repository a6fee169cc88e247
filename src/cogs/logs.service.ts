import { Injectable } from '@nestjs/common';
import { LogRing } from '../core/logging';
import { COGS, type CogName } from './cog-registry';
import { cogLoaded } from './cog-feature';
import { BotSettings } from '../bot-config/bot-settings';

export interface LogEntry {
  timestamp: string;
  /** DEBUG, INFO, WARNING, ERROR or CRITICAL, as the app's filters name them. */
  level: string;
  cog: string;
  message: string;
  raw: string;
}

export interface LogQuery {
  limit: number;
  cog?: string;
  level?: string;
  search?: string;
}

const LEVELS: Record<number, string> = {
  10: 'DEBUG',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};

/** Which cog a line belongs to, by its logger's context or, for request lines, by the route. */
const CONTEXT_COGS: [RegExp, CogName][] = [
  [/^Ticket/, 'TicketSystem'],
  [/^(Invite|Onboarding|Cohort|BuildCrew)/, 'Invites'],
  [/^(CogManager|BotConfig|BotSettings)/, 'CogManager'],
  [/^Presence/, 'Presence'],
  [/^Welcome/, 'Welcome'],
  [/^ServerGuide/, 'ServerGuide'],
  [/^DiscordLogging/, 'DiscordLogging'],
];
const ROUTE_COGS: [RegExp, CogName][] = [
  [/^\/api\/tickets/, 'TicketSystem'],
  [
    /^\/api\/invites|^\/(add_invite_code|generate_code|list_codes|stats|accept_user|bulk_)/,
    'Invites',
  ],
  [/^\/api\/(cogs|config|logs)/, 'CogManager'],
];

interface PinoLine {
  level?: number;
  time?: number;
  msg?: string;
  context?: string;
  err?: { message?: string };
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
}

/** The log screens' view of the log ring: parsed, attributed to cogs, filtered. */
@Injectable()
export class LogsService {
  constructor(
    private readonly ring: LogRing,
    private readonly settings: BotSettings,
  ) {}

  /** The last `limit` lines that pass the filters (case-insensitive), oldest first. */
  async query(query: LogQuery): Promise<{ total: number; logs: LogEntry[] }> {
    const cog = query.cog?.toLowerCase();
    const level = query.level?.toUpperCase();
    const search = query.search?.toLowerCase();
    const matching = (await this.ring.recent())
      .map(parseLine)
      .filter((entry): entry is LogEntry => entry !== undefined)
      .filter(
        (entry) =>
          (!cog || entry.cog.toLowerCase() === cog || entry.raw.toLowerCase().includes(cog)) &&
          (!level || entry.level === level) &&
          (!search || entry.raw.toLowerCase().includes(search)),
      );
    return { total: matching.length, logs: matching.slice(-query.limit) };
  }

  /** The loaded cogs, for the logs screen's cog filter. */
  loadedCogs(): string[] {
    return COGS.filter((cog) => cogLoaded(this.settings, cog.name as CogName))
      .map((cog) => cog.name)
      .sort();
  }

  get maxLines(): number {
    return this.ring.size;
  }
}

function parseLine(raw: string): LogEntry | undefined {
  let line: PinoLine;
  try {
    line = JSON.parse(raw) as PinoLine;
  } catch {
    return undefined;
  }
  const request = line.req?.url !== undefined;
  let message = line.msg ?? '';
  if (request && line.res?.statusCode !== undefined)
    message = `${line.req?.method ?? ''} ${line.req?.url ?? ''} → ${line.res.statusCode}`;
  if (line.err?.message) message = `${message}: ${line.err.message}`;
  return {
    timestamp: new Date(line.time ?? 0).toISOString(),
    level: LEVELS[line.level ?? 30] ?? 'INFO',
    cog: cogOf(line),
    message,
    raw,
  };
}

function cogOf(line: PinoLine): CogName {
  const context = line.context ?? '';
  for (const [pattern, cog] of CONTEXT_COGS) if (pattern.test(context)) return cog;
  const url = line.req?.url ?? '';
  for (const [pattern, cog] of ROUTE_COGS) if (pattern.test(url)) return cog;
  return 'APIServer';
}
