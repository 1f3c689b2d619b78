import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { composeApi } from './api.ts';
import { formatAddress, invalidOf, toAddresses } from './addresses.ts';
import type { ComposeAttachment } from './attachments.tsx';
import type { ComposeRequest } from './compose-context.tsx';
import type { ComposeInput, ComposeKind, OutboxItem, RecordType, SenderMailbox } from './types.ts';

export interface ComposeForm {
  mailboxId: string | null;
  kind: ComposeKind;
  sourceMessageId: string | null;
  record: { type: RecordType; id: string } | null;
  templateId: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  html: string;
  attachments: ComposeAttachment[];
}

export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

const AUTOSAVE_MS = 1000;

const emptyForm = (): ComposeForm => ({
  mailboxId: null,
  kind: 'new',
  sourceMessageId: null,
  record: null,
  templateId: null,
  to: [],
  cc: [],
  bcc: [],
  subject: '',
  html: '',
  attachments: [],
});

/** The signature under an empty first line, as new messages start. */
export const withSignature = (signatureHtml: string | null | undefined) => (signatureHtml ? `<p></p><p>-- </p>${signatureHtml}` : '');

function formOfItem(item: OutboxItem): ComposeForm {
  return {
    mailboxId: item.mailboxId,
    kind: item.kind,
    sourceMessageId: item.sourceMessageId,
    record: item.record,
    templateId: item.templateId,
    to: item.to.map(formatAddress),
    cc: item.cc.map(formatAddress),
    bcc: item.bcc.map(formatAddress),
    subject: item.subject,
    html: item.html,
    // Already stored with the draft: named by their hash when the list is sent again.
    attachments: item.attachments.map((a) => ({
      key: `kept-${a.sha256}-${a.filename}`,
      filename: a.filename,
      size: a.size,
      ref: { sha256: a.sha256 },
      progress: null,
      error: null,
    })),
  };
}

/** The request body for the form's current state (attachments still uploading are sent once they are in). */
export function inputOf(form: ComposeForm): ComposeInput {
  const input: ComposeInput = {
    mailboxId: form.mailboxId ?? '',
    kind: form.kind,
    sourceMessageId: form.sourceMessageId,
    record: form.record,
    templateId: form.templateId,
    to: toAddresses(form.to),
    cc: toAddresses(form.cc),
    bcc: toAddresses(form.bcc),
    subject: form.subject,
    html: form.html,
  };
  input.attachments = form.attachments.flatMap((a) => (a.ref ? [a.ref] : []));
  return input;
}

/**
 * The compose form: what it opens with (a reply's prefill, a reopened draft, a record's people), the
 * senders, and the draft saved as it is typed: created on the first change, then patched a second after
 * typing stops. Saves run one after another so a slow one never overwrites a newer one.
 */
export function useComposeForm(request: ComposeRequest) {
  const [form, setForm] = useState<ComposeForm>(() => (request.kind !== 'draft' ? emptyForm() : formOfItem(request.item)));
  const reopened = request.kind === 'draft';
  const [outboxId, setOutboxId] = useState<string | null>(reopened ? request.item.id : null);
  const [editor, setEditor] = useState<{ html: string; key: number }>({ html: request.kind === 'draft' ? request.item.html : '', key: 0 });
  const [ready, setReady] = useState(request.kind === 'draft');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveState, setSaveState] = useState<SaveState>(reopened ? 'saved' : 'idle');
  // Bumped by every change of the user's: the autosave waits for it to stand still.
  const [edits, setEdits] = useState(0);
  const dirty = edits > 0;
  const senders = useQuery({ queryKey: ['compose-senders'], queryFn: async () => (await composeApi.senders()).items });

  const formRef = useRef(form);
  formRef.current = form;
  const idRef = useRef(outboxId);
  idRef.current = outboxId;
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  // While a send is under way no autosave may write the row: the server refuses to queue a row changed meanwhile.
  const held = useRef(false);
  const holdAutosave = useCallback((hold: boolean) => {
    held.current = hold;
  }, []);

  const pickSender = useCallback((list: SenderMailbox[], preferred: string | null) => {
    const usable = list.filter((s) => s.canSend);
    return (usable.find((s) => s.id === preferred) ?? usable[0] ?? list.find((s) => s.id === preferred) ?? list[0])?.id ?? null;
  }, []);

  // Fill the form once the senders (and, for a reply or forward, the prefill) are there.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !senders.data) return;
    started.current = true;
    const list = senders.data;
    if (request.kind === 'draft') return;
    if (request.kind === 'new') {
      const mailboxId = pickSender(list, null);
      const html = withSignature(list.find((s) => s.id === mailboxId)?.signatureHtml);
      setForm((f) => ({ ...f, mailboxId, record: request.record ?? null, to: (request.to ?? []).map(formatAddress), html }));
      setEditor((e) => ({ html, key: e.key + 1 }));
      setReady(true);
      return;
    }
    composeApi.prefill(request.sourceMessageId, request.kind).then(
      (draft) => {
        const mailboxId = pickSender(list, draft.mailboxId);
        setForm((f) => ({
          ...f,
          mailboxId,
          kind: draft.kind,
          sourceMessageId: draft.sourceMessageId,
          to: draft.to.map(formatAddress),
          cc: draft.cc.map(formatAddress),
          subject: draft.subject,
          html: draft.html,
          attachments: draft.attachments.map((a) => ({
            key: `fwd-${a.attachmentId}`,
            filename: a.filename ?? a.contentType,
            size: a.size,
            ref: { attachmentId: a.attachmentId },
            progress: null,
            error: null,
          })),
        }));
        setEditor((e) => ({ html: draft.html, key: e.key + 1 }));
        setReady(true);
      },
      (error: unknown) => setLoadError(error),
    );
  }, [senders.data, request, pickSender]);
  useEffect(() => {
    if (senders.error) setLoadError(senders.error);
  }, [senders.error]);

  const save = useCallback((): Promise<string | null> => {
    const run = chain.current.then(async () => {
      const current = formRef.current;
      if (!current.mailboxId) return idRef.current;
      setSaveState('saving');
      try {
        const input = inputOf(current);
        const item = idRef.current ? await composeApi.update(idRef.current, input) : await composeApi.create({ ...input, send: false });
        idRef.current = item.id;
        setOutboxId(item.id);
        if (formRef.current === current) setSaveState('saved');
        return item.id;
      } catch (error) {
        setSaveState('error');
        throw error;
      }
    });
    chain.current = run.catch(() => undefined);
    return run;
  }, []);

  // Autosave a second after the last change.
  useEffect(() => {
    if (edits === 0 || !ready) return;
    const timer = setTimeout(() => {
      if (!held.current) void save().catch(() => undefined);
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [edits, ready, save]);

  const change = useCallback((patch: Partial<ComposeForm> | ((f: ComposeForm) => Partial<ComposeForm>)) => {
    setForm((f) => ({ ...f, ...(typeof patch === 'function' ? patch(f) : patch) }));
    setEdits((n) => n + 1);
  }, []);

  const changeAttachments = useCallback(
    (update: (list: ComposeAttachment[]) => ComposeAttachment[]) => {
      change((f) => ({ attachments: update(f.attachments) }));
    },
    [change],
  );

  /** Replace the body in the editor (a template, another signature), as a change of the user's. */
  const loadBody = useCallback(
    (html: string) => {
      setEditor((e) => ({ html, key: e.key + 1 }));
      change({ html });
    },
    [change],
  );

  const invalid = [...invalidOf(form.to), ...invalidOf(form.cc), ...invalidOf(form.bcc)];
  const uploading = form.attachments.some((a) => a.progress !== null);
  const failedUploads = form.attachments.some((a) => a.error);
  const empty = !form.to.length && !form.cc.length && !form.bcc.length && !form.subject.trim() && !dirty;

  return {
    form,
    change,
    changeAttachments,
    loadBody,
    editor,
    ready,
    loadError,
    senders: senders.data ?? null,
    outboxId,
    save,
    holdAutosave,
    saveState,
    dirty,
    invalid,
    uploading,
    failedUploads,
    empty,
  };
}
