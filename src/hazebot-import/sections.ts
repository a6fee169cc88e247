import type { Type } from '@nestjs/common';
import { BotConfigService } from '../bot-config/bot-config.service';
import { SECTION_ROUTES } from '../bot-config/section-controllers';
import { NULLABLE_KEYS, type SectionName } from '../bot-config/sections';
import { createValidationPipe, DomainError } from '../core/errors';
import { DataFileError } from './data-file';
import type { PartContext, PartOutcome } from './import-part';

/** The sections a data file may set, each with the body a PUT of it takes. */
const UPDATE_TYPES: Partial<Record<SectionName, Type>> = Object.fromEntries(
  Object.entries(SECTION_ROUTES).map(([name, routes]) => [name, routes.update]),
);

export function isImportableSection(name: string): name is SectionName {
  return Object.hasOwn(UPDATE_TYPES, name);
}

/** Keys of one section from one file, checked as a PUT of them would be. */
export interface SectionPatch {
  file: string;
  section: SectionName;
  values: Record<string, unknown>;
  /** Where a file names a key otherwise (`min_score` for `daily_min_score`), for messages. */
  fileKeys?: Record<string, string>;
}

/**
 * Checks `values` as `PUT /api/config/<section>` would (types, limits, ids kept exactly, `null` only
 * where the section takes it) and answers them as the service stores them; a bad value is a
 * DataFileError naming the file and `section.key`.
 */
export async function checkSection(patch: SectionPatch): Promise<SectionPatch> {
  const type = UPDATE_TYPES[patch.section] as Type;
  const where = (field: string) =>
    `key ${patch.fileKeys?.[field.split('.')[0]] ?? `${patch.section}.${field}`}`;
  for (const [key, value] of Object.entries(patch.values)) {
    if (value === null && !(NULLABLE_KEYS[patch.section] as string[]).includes(key))
      throw new DataFileError(patch.file, where(key), `expected a value, found null`);
  }
  try {
    const checked = (await createValidationPipe({ expectedType: type }).transform(patch.values, {
      type: 'body',
      metatype: type,
    })) as object;
    return { ...patch, values: JSON.parse(JSON.stringify(checked)) as Record<string, unknown> };
  } catch (error) {
    const detail = error instanceof DomainError ? error.details?.[0] : undefined;
    if (!detail) throw error;
    throw new DataFileError(patch.file, where(detail.field), detail.message);
  }
}

/** Who the configuration audit log names for imported settings. */
export const IMPORT_ACTOR = { id: 'hazebot-import', name: 'hazebot:import' };

/** Saves checked patches through the configuration service (audited), counting keys changed. */
export async function saveSections(
  context: PartContext,
  patches: SectionPatch[],
  result: PartOutcome,
): Promise<void> {
  const service = context.app.get(BotConfigService);
  context.progress.start(patches.length);
  for (const patch of patches) {
    const keys = Object.keys(patch.values);
    if (keys.length > 0) {
      const saved = await service.update(patch.section, patch.values, IMPORT_ACTOR);
      result.imported += saved.changed.length;
      result.present += keys.length - saved.changed.length;
    }
    context.progress.tick();
  }
}
