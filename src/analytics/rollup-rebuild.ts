import { type DataSource, MoreThan, MoreThanOrEqual } from 'typeorm';
import type { TransactionRunner } from '../core/database';
import { AnalyticsDaily } from './analytics-daily.entity';
import { AnalyticsDaySession } from './analytics-day-session.entity';
import { AnalyticsDayUser } from './analytics-day-user.entity';
import { AnalyticsEvent } from './analytics-event.entity';
import { AnalyticsUser } from './analytics-user.entity';
import { applyToRollups } from './rollup-writer';

const BATCH = 5_000;

/**
 * Recomputes the rollups of every day that still has raw events, from those events, with the same
 * fold as recording. Days older than the retention (rollups without raw events) are kept as they
 * are. Progress is reported as (events done, events in all).
 */
export async function rebuildRollups(
  dataSource: DataSource,
  transactions: TransactionRunner,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<{ events: number; days: number }> {
  const events = dataSource.getRepository(AnalyticsEvent);
  const oldest = await events
    .createQueryBuilder('e')
    .select('MIN(e.day)', 'day')
    .getRawOne<{ day: string | null }>();
  const floor = oldest?.day;
  if (!floor) return { events: 0, days: 0 };
  const total = await events.count();
  await transactions.run(async (manager) => {
    await manager.getRepository(AnalyticsDaily).delete({ day: MoreThanOrEqual(floor) });
    await manager.getRepository(AnalyticsDaySession).delete({ day: MoreThanOrEqual(floor) });
    await manager.getRepository(AnalyticsDayUser).delete({ day: MoreThanOrEqual(floor) });
    // Users first seen before the kept raw events stay known: they are not new again.
    await manager.getRepository(AnalyticsUser).delete({ firstDay: MoreThanOrEqual(floor) });
  });
  let done = 0;
  let after = 0;
  progress(0, total);
  for (;;) {
    const batch = await events.find({
      where: { id: MoreThan(after) },
      order: { id: 'ASC' },
      take: BATCH,
    });
    if (batch.length === 0) break;
    after = batch[batch.length - 1].id;
    await transactions.run((manager) =>
      applyToRollups(
        manager,
        batch.map((event) => ({ ...event, kind: event.kind as 'request' | 'client' })),
      ),
    );
    done += batch.length;
    progress(done, total);
  }
  const days = await dataSource
    .getRepository(AnalyticsDaily)
    .count({ where: { day: MoreThanOrEqual(floor) } });
  return { events: done, days };
}
