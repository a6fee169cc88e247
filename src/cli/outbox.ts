/**
 * `npm run outbox -- <command>`: the outbox for an operator, as `GET/POST /api/admin/outbox` offer it.
 *
 *   list [--status pending|sent|failed] [--kind K] [--limit N]   newest first
 *   retry <id>                                                   queue one message again
 *   retry-failed [--kind K]                                      queue every failed message again
 *
 * A running server delivers what is queued again within OUTBOX_POLL_MS (its lease owner does).
 */
import { parseArgs } from 'node:util';
import { OutboxService } from '../core/outbox';
import { DomainError } from '../core/errors';
import { runCommand, withImportApp } from './import-command';

const USAGE =
  'usage: npm run outbox -- list [--status pending|sent|failed] [--kind K] [--limit N]\n' +
  '       npm run outbox -- retry <id>\n' +
  '       npm run outbox -- retry-failed [--kind K]';
const STATUSES = ['pending', 'sent', 'failed'] as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { status: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, id] = positionals;
  const status = values.status as (typeof STATUSES)[number] | undefined;
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (
    (status !== undefined && !STATUSES.includes(status)) ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    !['list', 'retry', 'retry-failed'].includes(command) ||
    (command === 'retry') !== (id !== undefined)
  ) {
    console.error(USAGE);
    return 2;
  }
  return withImportApp(async (app) => {
    const outbox = app.get(OutboxService);
    try {
      if (command === 'list') {
        const { messages, total } = await outbox.list({
          status,
          kind: values.kind,
          limit,
          offset: 0,
        });
        for (const m of messages)
          console.log(
            [m.id, m.kind, m.status, `attempts=${m.attempts}`, m.createdAt.toISOString()]
              .concat(m.lastError ? [`error=${m.lastError}`] : [])
              .join('  '),
          );
        console.log(`${messages.length} of ${total} message(s)`);
      } else if (command === 'retry') {
        const message = await outbox.retry(id);
        console.log(`queued ${message.id} (${message.kind}) again`);
      } else {
        console.log(`queued ${await outbox.retryFailed(values.kind)} failed message(s) again`);
      }
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      console.error(error.message);
      return 1;
    }
  });
}

runCommand(main);
