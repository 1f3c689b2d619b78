import type { ReactNode } from 'react';
import { crmApi } from './api.ts';
import type { useCrmT } from './text.ts';
import type { CompanyImportRow, ContactImportRow, ImportResult, ImportResultOf } from './types.ts';

type CrmT = ReturnType<typeof useCrmT>['t'];

/** What differs between importing one kind of record and another; the modal does the rest. */
export interface CsvImportKind<R, Result extends ImportResultOf<R> = ImportResultOf<R>> {
  title(t: CrmT): string;
  help(t: CrmT): string;
  /** Said when the file lacks the column every row needs (csv_missing_column). */
  missingColumn(t: CrmT): string;
  run(file: Blob, dryRun: boolean): Promise<Result>;
  /** A row error's code in words, or null to show the server's own message. */
  rowError(t: CrmT, code: string): string | null;
  /** The preview table's columns after Row and Action. */
  columns(t: CrmT): Array<{ label: string; cell(row: R): ReactNode }>;
  /** A line under "Ready" (e.g. companies the import will create). */
  readyNote?(t: CrmT, result: Result): ReactNode;
}

const CONTACT_CODES = ['required', 'too_long', 'invalid_email', 'duplicate_in_file', 'email_conflict', 'not_owner'] as const;
const COMPANY_CODES = [
  'required',
  'too_long',
  'duplicate_in_file',
  'invalid_domain',
  'public_mail_domain',
  'domain_in_use',
  'unknown_owner',
  'owner_not_allowed',
  'not_owner',
] as const;
const isOneOf = <C extends string>(codes: readonly C[], code: string): code is C => (codes as readonly string[]).includes(code);

export const CONTACTS_IMPORT: CsvImportKind<ContactImportRow, ImportResult> = {
  title: (t) => t('import.title'),
  help: (t) => t('import.help'),
  missingColumn: (t) => t('errors.csv_missing_column'),
  run: (file, dryRun) => crmApi.importContacts(file, dryRun),
  rowError: (t, code) => (isOneOf(CONTACT_CODES, code) ? t(`import.rowCodes.${code}`) : null),
  columns: (t) => [
    { label: t('fields.name'), cell: (r) => r.name },
    { label: t('fields.emails'), cell: (r) => r.emails.join(', ') },
    { label: t('fields.company'), cell: (r) => r.company ?? '' },
    { label: t('fields.title'), cell: (r) => r.title ?? '' },
    { label: t('fields.tags'), cell: (r) => r.tags.join(', ') },
  ],
  readyNote: (t, result) => (result.companiesCreated ? t('import.companiesCreated', { count: result.companiesCreated }) : null),
};

export const COMPANIES_IMPORT: CsvImportKind<CompanyImportRow> = {
  title: (t) => t('import.companies.title'),
  help: (t) => t('import.companies.help'),
  missingColumn: (t) => t('import.companies.missingColumn'),
  run: (file, dryRun) => crmApi.importCompanies(file, dryRun),
  rowError: (t, code) => (isOneOf(COMPANY_CODES, code) ? t(`import.companies.rowCodes.${code}`) : null),
  columns: (t) => [
    { label: t('fields.name'), cell: (r) => r.name },
    { label: t('fields.domains'), cell: (r) => r.domains.join(', ') },
    { label: t('fields.industry'), cell: (r) => r.industry ?? '' },
    { label: t('fields.owner'), cell: (r) => r.owner ?? '' },
    { label: t('fields.notes'), cell: (r) => (r.notes && r.notes.length > 80 ? `${r.notes.slice(0, 80)}…` : (r.notes ?? '')) },
  ],
};
