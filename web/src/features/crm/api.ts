import { api } from '../../api/client.ts';
import type {
  Activity,
  ActivityKind,
  Company,
  CompanyImportResult,
  Contact,
  Dashboard,
  Deal,
  ImportResult,
  Page,
  Person,
  Purchase,
  Stage,
  StageKind,
  StageName,
  TimelineItem,
} from './types.ts';

const q = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};
const id = (path: string, value: string) => `${path}/${encodeURIComponent(value)}`;

export type ListParams = Record<string, string | number | undefined | null>;

export interface ContactInput {
  name: string;
  emails?: string[];
  companyId?: string | null;
  title?: string | null;
  phones?: Array<{ label: string | null; number: string }>;
  tags?: string[];
  notes?: string | null;
  ownerId?: string;
}

export interface CompanyInput {
  name: string;
  domains?: string[];
  industry?: string | null;
  notes?: string | null;
  ownerId?: string;
}

export interface DealInput {
  name: string;
  companyId?: string | null;
  contactIds?: string[];
  amount?: string;
  currency: string;
  stageId?: string;
  expectedCloseDate?: string | null;
  lostReason?: string | null;
  ownerId?: string;
}

export interface ActivityInput {
  kind: ActivityKind;
  subject?: string | null;
  body?: string | null;
  dueAt?: string | null;
  reminderAt?: string | null;
  callDurationSeconds?: number | null;
  callDirection?: 'inbound' | 'outbound' | null;
  contactId?: string | null;
  companyId?: string | null;
  dealId?: string | null;
}

export interface PurchaseInput {
  companyId?: string | null;
  contactId?: string | null;
  purchasedOn: string;
  items: Array<{ name: string; quantity: string; unitPrice: string }>;
  currency: string;
  notes?: string | null;
}

/** Typed calls for the CRM routes; the feature's components import these, never raw paths. */
export const crmApi = {
  people: () => api.get<{ items: Person[] }>('/api/v1/people'),

  contacts: (params: ListParams) => api.get<Page<Contact>>(`/api/v1/contacts${q(params)}`),
  contact: (contactId: string) => api.get<{ contact: Contact }>(id('/api/v1/contacts', contactId)),
  createContact: (input: ContactInput) => api.post<{ contact: Contact }>('/api/v1/contacts', input),
  updateContact: (contactId: string, patch: Partial<Omit<ContactInput, 'emails'>>) =>
    api.patch<{ contact: Contact }>(id('/api/v1/contacts', contactId), patch),
  deleteContact: (contactId: string) => api.delete(id('/api/v1/contacts', contactId)),
  addEmail: (contactId: string, address: string, isPrimary: boolean) =>
    api.post<{ contact: Contact }>(`${id('/api/v1/contacts', contactId)}/emails`, { address, isPrimary }),
  setPrimaryEmail: (contactId: string, emailId: string) =>
    api.patch<{ contact: Contact }>(`${id('/api/v1/contacts', contactId)}/emails/${encodeURIComponent(emailId)}`, { isPrimary: true }),
  removeEmail: (contactId: string, emailId: string) =>
    api.delete(`${id('/api/v1/contacts', contactId)}/emails/${encodeURIComponent(emailId)}`),
  importContacts: (csv: Blob, dryRun: boolean) =>
    api.upload<ImportResult>(`/api/v1/contacts/import?dryRun=${dryRun}`, { data: csv, contentType: 'text/csv' }),

  companies: (params: ListParams) => api.get<Page<Company>>(`/api/v1/companies${q(params)}`),
  company: (companyId: string) => api.get<{ company: Company }>(id('/api/v1/companies', companyId)),
  createCompany: (input: CompanyInput) => api.post<{ company: Company }>('/api/v1/companies', input),
  updateCompany: (companyId: string, patch: Partial<CompanyInput>) =>
    api.patch<{ company: Company }>(id('/api/v1/companies', companyId), patch),
  deleteCompany: (companyId: string) => api.delete(id('/api/v1/companies', companyId)),
  importCompanies: (csv: Blob, dryRun: boolean) =>
    api.upload<CompanyImportResult>(`/api/v1/companies/import?dryRun=${dryRun}`, { data: csv, contentType: 'text/csv' }),

  stages: () => api.get<{ items: Stage[] }>('/api/v1/pipeline/stages'),
  createStage: (name: StageName, kind: StageKind) => api.post<{ stage: Stage }>('/api/v1/pipeline/stages', { name, kind }),
  updateStage: (stageId: string, patch: { name?: StageName; kind?: StageKind }) =>
    api.patch<{ stage: Stage }>(id('/api/v1/pipeline/stages', stageId), patch),
  reorderStages: (ids: string[]) => api.put<{ items: Stage[] }>('/api/v1/pipeline/stages/order', { ids }),
  deleteStage: (stageId: string) => api.delete(id('/api/v1/pipeline/stages', stageId)),

  deals: (params: ListParams) => api.get<Page<Deal>>(`/api/v1/deals${q(params)}`),
  deal: (dealId: string) => api.get<{ deal: Deal }>(id('/api/v1/deals', dealId)),
  createDeal: (input: DealInput) => api.post<{ deal: Deal }>('/api/v1/deals', input),
  updateDeal: (dealId: string, patch: Partial<DealInput>) => api.patch<{ deal: Deal }>(id('/api/v1/deals', dealId), patch),
  deleteDeal: (dealId: string) => api.delete(id('/api/v1/deals', dealId)),

  activities: (params: ListParams) => api.get<Page<Activity>>(`/api/v1/activities${q(params)}`),
  createActivity: (input: ActivityInput) => api.post<{ activity: Activity }>('/api/v1/activities', input),
  updateActivity: (activityId: string, patch: Partial<ActivityInput> & { doneAt?: string | null }) =>
    api.patch<{ activity: Activity }>(id('/api/v1/activities', activityId), patch),
  deleteActivity: (activityId: string) => api.delete(id('/api/v1/activities', activityId)),

  purchases: (params: ListParams) => api.get<Page<Purchase>>(`/api/v1/purchases${q(params)}`),
  createPurchase: (input: PurchaseInput) => api.post<{ purchase: Purchase }>('/api/v1/purchases', input),
  deletePurchase: (purchaseId: string) => api.delete(id('/api/v1/purchases', purchaseId)),

  timeline: (record: 'contacts' | 'companies' | 'deals', recordId: string, cursor: string | null) =>
    api.get<Page<TimelineItem>>(`${id(`/api/v1/${record}`, recordId)}/timeline${q({ cursor, limit: 50 })}`),

  dashboard: (scope: 'me' | 'team', hours: number) => api.get<Dashboard>(`/api/v1/dashboard${q({ scope, hours })}`),
};

export const CONTACTS_EXPORT_URL = '/api/v1/contacts/export.csv';
export const COMPANIES_EXPORT_URL = '/api/v1/companies/export.csv';
