import { ApiError, api } from '../../api/client.ts';
import type {
  ConnectionInput,
  CreateMailboxInput,
  DiscoveryResult,
  Mailbox,
  MailboxPatch,
  MailboxSync,
  Provider,
  TestResult,
  WorkspaceSettings,
} from './types.ts';

const one = (id: string) => `/api/v1/mailboxes/${encodeURIComponent(id)}`;

/** Typed calls for the mailbox routes; the feature's components import these, never raw paths. */
export const mailboxesApi = {
  providers: () => api.get<{ items: Provider[] }>('/api/v1/providers'),
  discover: (email: string) => api.post<DiscoveryResult>('/api/v1/mailboxes/discover', { email }),
  test: (input: ConnectionInput) => api.post<TestResult>('/api/v1/mailboxes/test', input),
  create: (input: CreateMailboxInput) => api.post<{ mailbox: Mailbox; test: TestResult }>('/api/v1/mailboxes', input),
  list: () => api.get<{ items: Mailbox[] }>('/api/v1/mailboxes'),
  get: (id: string) => api.get<{ mailbox: Mailbox }>(one(id)),
  update: (id: string, patch: MailboxPatch) => api.patch<{ mailbox: Mailbox; test: TestResult | null }>(one(id), patch),
  retest: (id: string) => api.post<TestResult>(`${one(id)}/test`),
  remove: (id: string) => api.delete(one(id)),
  syncNow: (id: string) => api.post<unknown>(`${one(id)}/sync`),
  syncStatus: (id: string) => api.get<MailboxSync>(`${one(id)}/sync-status`),
  workspace: () => api.get<{ settings: WorkspaceSettings }>('/api/v1/settings/workspace'),
};

/** The staged report a 422 connection_test_failed problem carries, if this error is one. */
export function failedTestOf(error: unknown): TestResult | null {
  if (!(error instanceof ApiError) || error.code !== 'connection_test_failed') return null;
  const test = (error.problem as unknown as { test?: TestResult }).test;
  return test && typeof test === 'object' && 'imap' in test ? test : null;
}
