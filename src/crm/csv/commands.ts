import { CrmError } from '../errors.ts';
import { type CrmEvent, emitCrmEvents } from '../events.ts';
import type { Actor, CrmDeps } from '../shared/write.ts';
import { type CompanyImportResult, importCompanies } from './import-companies.ts';
import { importContacts, type ImportResult } from './import-contacts.ts';
import { csvParseThread } from './parse-off-thread.ts';

type RowError = { row: number; column: string | null; code: string; message: string };

/**
 * A real run with row errors wrote nothing: import_rejected carrying the whole report, each error with a
 * `path` too, like every other problem's field errors. A clean real run announces its events.
 */
function settle<R extends { errors: RowError[]; events: CrmEvent[] }>(deps: CrmDeps, dryRun: boolean, outcome: R): Omit<R, 'events'> {
  const { events, ...result } = outcome;
  if (!dryRun && result.errors.length) {
    throw new CrmError('import_rejected', `${result.errors.length} problem(s) in the file; nothing was imported.`, {
      details: { ...result, errors: result.errors.map((e) => ({ ...e, path: `row ${e.row}${e.column ? `.${e.column}` : ''}` })) },
    });
  }
  emitCrmEvents(deps.events, events);
  return result;
}

/** Imports contacts from a CSV file, all rows or none; a dry run only reports. */
export async function importContactsCsv(deps: CrmDeps, actor: Actor, file: Buffer, dryRun: boolean): Promise<Omit<ImportResult, 'events'>> {
  const parsed = await csvParseThread.parse('contacts', file);
  return settle(deps, dryRun, await importContacts(deps.db, actor, parsed, dryRun));
}

/** Imports companies from a CSV file, all rows or none; a dry run only reports. */
export async function importCompaniesCsv(
  deps: CrmDeps,
  actor: Actor,
  file: Buffer,
  dryRun: boolean,
): Promise<Omit<CompanyImportResult, 'events'>> {
  const parsed = await csvParseThread.parse('companies', file);
  return settle(deps, dryRun, await importCompanies(deps.db, actor, parsed, dryRun));
}
