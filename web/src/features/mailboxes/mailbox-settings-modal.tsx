import { Alert, Button, Checkbox, Group, Loader, Paper, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconLogin } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ModalForm, useFormSubmit } from '../../components/modal-form.tsx';
import { formatDateTime } from '../../components/format.ts';
import { mailboxSendersApi } from '../compose/api.ts';
import { MailboxSendingFields, type SendingChanges } from '../compose/mailbox-sending-fields.tsx';
import { useCurrentUser } from '../../session/session-context.tsx';
import { useSigninT } from '../signin/text.ts';
import { mailboxesApi } from './api.ts';
import { needsSignInAgain } from './mailboxes-table.tsx';
import { SyncOptionsFields, type SyncOptions } from './sync-options-fields.tsx';
import { localText, useMailboxesT } from './text.ts';
import type { Mailbox, MailboxSync } from './types.ts';
import { RecordModal } from '../../components/record-modal.tsx';

interface MailboxSettingsModalProps {
  mailbox: Mailbox | null;
  onClose(): void;
  onSaved(mailbox: Mailbox): void;
  /** Offered when the mailbox's sign-in with Google or Microsoft stopped working. */
  onSignInAgain?(mailbox: Mailbox): void;
}

/** Edit settings: display name, 可见范围, 同步频率, backfill and contact creation; shows sync state when known. */
export function MailboxSettingsModal({ mailbox, onClose, onSaved, onSignInAgain }: MailboxSettingsModalProps) {
  const { t } = useMailboxesT();
  return (
    <RecordModal
      record={mailbox}
      onClose={onClose}
      title={(m) => t('settingsModal.title', { email: m.email })}
      size="lg"
      testId="mailbox-settings-modal"
    >
      {(m) => (
        <>
          {onSignInAgain && needsSignInAgain(m) ? <SignInAgainAlert mailbox={m} onSignInAgain={onSignInAgain} /> : null}
          <SettingsBody key={m.id} mailbox={m} onClose={onClose} onSaved={onSaved} />
        </>
      )}
    </RecordModal>
  );
}

function SignInAgainAlert({ mailbox, onSignInAgain }: { mailbox: Mailbox; onSignInAgain(mailbox: Mailbox): void }) {
  const { t } = useSigninT();
  const { i18n } = useMailboxesT();
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="sm" data-testid="settings-signin-needed">
      <Text size="sm">{t('reauth.needed')}</Text>
      {mailbox.attention ? (
        <Text size="xs" c="dimmed" mt={4}>
          {localText(mailbox.attention.message, i18n.language)}
        </Text>
      ) : null}
      <Button
        mt="xs"
        size="xs"
        color="red"
        leftSection={<IconLogin size={14} />}
        onClick={() => onSignInAgain(mailbox)}
        data-testid="settings-signin-again"
      >
        {t('wizard.signInAgain')}
      </Button>
    </Alert>
  );
}

interface FolderProgress {
  name: string;
  done: number | null;
  total: number | null;
}

const isFolderProgress = (v: unknown): v is FolderProgress => typeof v === 'object' && v !== null && 'name' in v;

function describe(value: unknown): string {
  // The sync engine reports progress per folder: "INBOX 120/500 · Sent 40/40".
  if (Array.isArray(value) && value.every(isFolderProgress)) {
    return value.map((f) => `${f.name} ${f.done ?? 0}/${f.total ?? '?'}`).join(' · ');
  }
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'message' in value && typeof value.message === 'string') return value.message;
  return JSON.stringify(value);
}

/** The sync engine's own report (state, progress, last success, last error), shown only once it exists. */
function SyncState({ sync }: { sync: MailboxSync }) {
  const { t, i18n } = useMailboxesT();
  const rows: [string, string][] = [];
  if (sync.state) rows.push([t('syncState.state'), t(`syncState.states.${sync.state}`, { defaultValue: sync.state })]);
  if (sync.progress !== undefined && sync.progress !== null && !(Array.isArray(sync.progress) && sync.progress.length === 0))
    rows.push([t('syncState.progress'), describe(sync.progress)]);
  rows.push([t('syncState.lastSuccess'), formatDateTime(sync.lastSuccessAt ?? null, i18n.language, t('syncState.never'))]);
  // The last error, explained in the reader's language with its fix, is on the mailbox's sync page.
  if (sync.waitingForRetry)
    rows.push([t('syncState.waitingForRetry'), t('syncState.waitingForRetryValue', { count: sync.waitingForRetry })]);
  return (
    <Paper withBorder p="xs" bg="gray.0" data-testid="mailbox-sync-state">
      <Text size="sm" fw={600} mb={4}>
        {t('syncState.title')}
      </Text>
      {rows.map(([label, value]) => (
        <Group key={label} gap="xs" wrap="nowrap" align="flex-start">
          <Text size="xs" c="dimmed" w={110}>
            {label}
          </Text>
          <Text size="xs" style={{ wordBreak: 'break-word', flex: 1 }}>
            {value}
          </Text>
        </Group>
      ))}
    </Paper>
  );
}

function SettingsBody({ mailbox, onClose, onSaved }: { mailbox: Mailbox; onClose(): void; onSaved(mailbox: Mailbox): void }) {
  const { t } = useMailboxesT();
  const [displayName, setDisplayName] = useState(mailbox.displayName ?? '');
  const isAdmin = useCurrentUser().role === 'admin';
  const [dropBox, setDropBox] = useState(mailbox.dropBox);
  const [options, setOptions] = useState<SyncOptions>({
    visibility: mailbox.visibility,
    syncMode: mailbox.syncMode,
    syncIntervalMinutes: mailbox.syncIntervalMinutes,
    backfill: mailbox.backfill,
    contactCreation: mailbox.contactCreation,
  });

  // GET /mailboxes/:id carries `sync` when the engine runs in this process; else ask its own route.
  const syncQuery = useQuery({
    queryKey: ['mailbox-sync', mailbox.id],
    queryFn: async () => (await mailboxesApi.get(mailbox.id)).mailbox.sync ?? (await mailboxesApi.syncStatus(mailbox.id)) ?? null,
  });
  const sync = syncQuery.isPending ? undefined : (syncQuery.data ?? null);
  const submission = useFormSubmit();
  const { submit } = submission;
  const [sending, setSending] = useState<SendingChanges>({});

  const save = () =>
    submit(true, async () => {
      const signature = sending.signatureHtml !== undefined ? { signatureHtml: sending.signatureHtml } : {};
      if (sending.senderIds) await mailboxSendersApi.put(mailbox.id, sending.senderIds);
      const patch = { displayName: displayName.trim() || null, ...options, ...signature, ...(dropBox !== mailbox.dropBox && { dropBox }) };
      onSaved((await mailboxesApi.update(mailbox.id, patch)).mailbox);
    });

  return (
    <ModalForm submission={submission} onSubmit={save} onCancel={onClose} submitTestId="mailbox-settings-submit">
      <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="settings-protocol" data-protocol={mailbox.protocol}>
        <Text size="sm" c="dimmed" w={110}>
          {t('table.protocol')}
        </Text>
        <Text size="sm" style={{ overflowWrap: 'anywhere', flex: 1 }}>
          {t(`protocols.${mailbox.protocol}`)} · {mailbox.apiUrl ?? `${mailbox.imap.host}:${mailbox.imap.port}`}
        </Text>
      </Group>
      {sync === undefined ? <Loader size="xs" /> : sync ? <SyncState sync={sync} /> : null}
      <TextInput
        label={t('wizard.displayName')}
        placeholder={mailbox.email}
        value={displayName}
        onChange={(e) => setDisplayName(e.currentTarget.value)}
        data-testid="settings-display-name"
      />
      <SyncOptionsFields value={options} onChange={setOptions} />
      {isAdmin ? (
        <Checkbox
          label={t('settingsModal.dropBox')}
          description={t('settingsModal.dropBoxHelp')}
          checked={dropBox}
          onChange={(e) => setDropBox(e.currentTarget.checked)}
          data-testid="settings-drop-box"
        />
      ) : null}
      <MailboxSendingFields
        mailboxId={mailbox.id}
        ownerId={mailbox.owner.id}
        signatureHtml={mailbox.signatureHtml}
        changes={sending}
        onChange={setSending}
      />
    </ModalForm>
  );
}
