/** The CRM's surface for other modules (the linker above all). Routes live in src/api/routes/crm-*.ts. */
export { findCompanyIdByDomain, findCompanyIdsByDomains, normaliseDomain } from './companies/domains.ts';
export { CrmError, InvalidCursorError, type CrmErrorCode } from './errors.ts';
export { findCompanyIdByName } from './companies/repository.ts';
export { findContactIdsByEmails, normaliseAddress } from './contacts/emails.ts';
export { findContact, type ContactRow } from './contacts/repository.ts';
export type { CompanyDomainAddedEvent, ContactCreatedEvent, ContactEmailAddedEvent } from './events.ts';
export type { CrmTables } from './tables.ts';
export { contactRecord } from './contacts/record.ts';
export { companyRecord } from './companies/record.ts';
export { dealRecord } from './deals/record.ts';
export { recordChanged } from './events.ts';
export type { ChangedRecordKind, DealStageChangedEvent, RecordChangedEvent } from './events.ts';
