import type { CrmRecord } from '../shared/records.ts';
import { type ContactView, presentContact } from './presenter.ts';
import { type ContactFilters, type ContactRow, contactSortFields, deleteContact, findContact, listContacts } from './repository.ts';

export const contactRecord: CrmRecord<ContactRow, ContactView, ContactFilters> = {
  what: 'contact',
  find: findContact,
  present: presentContact,
  sortFields: contactSortFields,
  idColumn: 'c.id',
  list: listContacts,
  remove: deleteContact,
};
