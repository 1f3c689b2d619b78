import type { ItemOf, ResponseOf } from '../../api/schema-types.ts';

/** Shapes of the CRM API as the web app reads them, named from the generated OpenAPI types. */

export type { Page } from '../../api/use-keyset-query.ts';

export type Person = ItemOf<'/api/v1/people'>;
export type Contact = ResponseOf<'/api/v1/contacts/{id}', 'get'>['contact'];
export type ContactEmail = Contact['emails'][number];
export type Phone = Contact['phones'][number];
export type Company = ResponseOf<'/api/v1/companies/{id}', 'get'>['company'];
export type Stage = ItemOf<'/api/v1/pipeline/stages'>;
export type StageKind = Stage['kind'];
export type StageName = Stage['name'];
export type Deal = ResponseOf<'/api/v1/deals/{id}', 'get'>['deal'];
export type Activity = ResponseOf<'/api/v1/activities/{id}', 'get'>['activity'];
export type ActivityKind = Activity['kind'];
export type Purchase = ResponseOf<'/api/v1/purchases/{id}', 'get'>['purchase'];
export type PurchaseItem = Purchase['items'][number];

export type ImportResult = ResponseOf<'/api/v1/contacts/import', 'post'>;
export type CompanyImportResult = ResponseOf<'/api/v1/companies/import', 'post'>;
export type ImportRowError = ImportResult['errors'][number];
type PreviewRow<R extends { preview: unknown[] }> = Omit<R['preview'][number], 'row' | 'action'>;
export type ContactImportRow = PreviewRow<ImportResult>;
export type CompanyImportRow = PreviewRow<CompanyImportResult>;

/** What a CSV import answers, whatever it imports; `R` is one previewed row. */
export interface ImportResultOf<R> {
  preview: Array<R & { row: number; action: 'create' | 'update' | 'error' }>;
  errors: ImportRowError[];
  created: number;
  updated: number;
  ignoredColumns: string[];
  encoding: string;
  imported: boolean;
}

/** One entry of a record's timeline (src/timeline/timeline.ts). */
export type TimelineItem = ItemOf<'/api/v1/contacts/{id}/timeline'>;
/** A message as the timeline shows it, cut to the viewer's access (no subject for metadata-only mailboxes). */
export type MailSummary = Extract<TimelineItem, { kind: 'email' }>['email'];

export type Dashboard = ResponseOf<'/api/v1/dashboard', 'get'>;
export type CustomerMail = Dashboard['mailByCompany'][number];
