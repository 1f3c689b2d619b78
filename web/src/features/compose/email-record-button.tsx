import { Button } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import { useState } from 'react';
import { crmApi } from '../crm/api.ts';
import type { Company, Contact, Deal } from '../crm/types.ts';
import { type ComposeRequest, useCompose } from './compose-context.tsx';
import { useComposeT } from './text.ts';
import type { Address } from './types.ts';

const primaryOf = (c: Contact): Address | null => {
  const email = c.emails.find((e) => e.isPrimary) ?? c.emails[0];
  return email ? { name: c.name, address: email.address } : null;
};
const present = <T,>(v: T | null): v is T => v !== null;

/** What "Email" on a record opens: addressed to the record's people, merge fields from the record. */
export const recordRequests = {
  contact: async (contact: Contact): Promise<ComposeRequest> => ({
    kind: 'new',
    to: [primaryOf(contact)].filter(present),
    record: { type: 'contact', id: contact.id },
    merge: { contactId: contact.id, companyId: contact.company?.id ?? null },
  }),
  company: async (company: Company): Promise<ComposeRequest> => {
    const { items } = await crmApi.contacts({ companyId: company.id, limit: 100 });
    return {
      kind: 'new',
      choices: items.map(primaryOf).filter(present),
      record: { type: 'company', id: company.id },
      merge: { companyId: company.id },
    };
  },
  deal: async (deal: Deal, contacts: Contact[]): Promise<ComposeRequest> => ({
    kind: 'new',
    to: contacts.map(primaryOf).filter(present),
    record: { type: 'deal', id: deal.id },
    merge: { dealId: deal.id, companyId: deal.companyId ?? null, contactId: contacts[0]?.id ?? null },
  }),
};

/** The "Email" button of a record page. */
export function EmailRecordButton({ request, testId }: { request(): Promise<ComposeRequest>; testId: string }) {
  const { t } = useComposeT();
  const { openCompose } = useCompose();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      size="xs"
      leftSection={<IconMail size={14} />}
      loading={busy}
      onClick={() => {
        setBusy(true);
        request()
          .then(openCompose, () => openCompose({ kind: 'new' }))
          .finally(() => setBusy(false));
      }}
      data-testid={testId}
    >
      {t('actions.email')}
    </Button>
  );
}
