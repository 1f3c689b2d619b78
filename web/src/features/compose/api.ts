import { api, readCookie } from '../../api/client.ts';
import { ApiError } from '../../api/client.ts';
import type {
  ComposeDraft,
  ComposeInput,
  MergeContext,
  OutboxItem,
  OutboxPage,
  OutboxState,
  RecipientSuggestion,
  RenderedTemplate,
  SenderMailbox,
  Template,
  TemplateInput,
  Upload,
} from './types.ts';

const outbox = (id: string) => `/api/v1/outbox/${encodeURIComponent(id)}`;
const template = (id: string) => `/api/v1/templates/${encodeURIComponent(id)}`;

/** Typed calls for the compose and outbox routes; the feature's components import these, never raw paths. */
export const composeApi = {
  create: (input: ComposeInput) => api.post<OutboxItem>('/api/v1/outbox', input),
  list: (state: OutboxState | null, cursor: string | null) => {
    const q = new URLSearchParams();
    if (state) q.set('state', state);
    if (cursor) q.set('cursor', cursor);
    return api.get<OutboxPage>(`/api/v1/outbox?${q.toString()}`);
  },
  get: (id: string) => api.get<OutboxItem>(outbox(id)),
  update: (id: string, patch: Partial<ComposeInput>) => api.patch<OutboxItem>(outbox(id), patch),
  send: (id: string, input: { sendAt?: string; undoSeconds?: number }) => api.post<OutboxItem>(`${outbox(id)}/send`, input),
  undo: (id: string) => api.post<OutboxItem>(`${outbox(id)}/undo`),
  remove: (id: string) => api.delete(outbox(id)),
  prefill: (messageId: string, mode: 'reply' | 'reply_all' | 'forward') =>
    api.get<ComposeDraft>(`/api/v1/messages/${encodeURIComponent(messageId)}/compose?mode=${mode}`),
  recipients: (q: string) => api.get<{ items: RecipientSuggestion[] }>(`/api/v1/compose/recipients?q=${encodeURIComponent(q)}`),
  senders: () => api.get<{ items: SenderMailbox[] }>('/api/v1/compose/senders'),
};

export const templatesApi = {
  list: () => api.get<{ items: Template[] }>('/api/v1/templates'),
  create: (input: TemplateInput) => api.post<Template>('/api/v1/templates', input),
  update: (id: string, patch: Partial<TemplateInput>) => api.patch<Template>(template(id), patch),
  remove: (id: string) => api.delete(template(id)),
  render: (id: string, context: MergeContext) => api.post<RenderedTemplate>(`${template(id)}/render`, context),
};

export const mailboxSendersApi = {
  get: (mailboxId: string) => api.get<{ userIds: string[] }>(`/api/v1/mailboxes/${encodeURIComponent(mailboxId)}/senders`),
  put: (mailboxId: string, userIds: string[]) =>
    api.put<{ userIds: string[] }>(`/api/v1/mailboxes/${encodeURIComponent(mailboxId)}/senders`, { userIds }),
};

/**
 * POST /api/v1/outbox/uploads with the file as the raw body. XMLHttpRequest rather than fetch: only it
 * reports upload progress. `onProgress` gets 0..1.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/outbox/uploads');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('x-filename', encodeURIComponent(file.name));
    const csrf = readCookie('tidings_csrf');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // A non-JSON answer is reported by its status below.
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as Upload);
      const problem = (body ?? {}) as { code?: string; detail?: string; title?: string };
      reject(
        new ApiError({ ...problem, status: xhr.status, code: typeof problem.code === 'string' ? problem.code : `http_${xhr.status}` }),
      );
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network_error' }));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'network_error' }));
    xhr.send(file);
  });
}
