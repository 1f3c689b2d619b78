/** The words (`companies.…`), the list's path (`/companies`) and the test ids (`company-…`) of a record kind. */
export interface RecordKind {
  kind: 'companies' | 'contacts' | 'deals';
  one: 'company' | 'contact' | 'deal';
  /** The field that links other rows (activities, deals, purchases) to a record of the kind. */
  link: keyof RecordLinks;
}

/** What a record's tabs filter their rows by: the record's id under its kind's link. */
export interface RecordLinks {
  companyId?: string;
  contactId?: string;
  dealId?: string;
}

/** The record kinds, by the name of one record. */
export const RECORD_KINDS = {
  company: { kind: 'companies', one: 'company', link: 'companyId' },
  contact: { kind: 'contacts', one: 'contact', link: 'contactId' },
  deal: { kind: 'deals', one: 'deal', link: 'dealId' },
} as const satisfies Record<RecordKind['one'], RecordKind>;
