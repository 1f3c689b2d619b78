import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { crmApi } from './api.ts';
import { useFormSubmit } from '../../components/modal-form.tsx';
import { CrmFormBody, CrmFormModal, CurrencySelect, DateField, NotesField } from './crm-form.tsx';
import { fromCents, toCents } from './money.ts';
import { formatMoney, useCrmT } from './text.ts';
import type { Purchase } from './types.ts';

interface Line {
  name: string;
  quantity: string;
  unitPrice: string;
}

/** The inputs of an item line, left to right: the name takes the most room. */
const LINE_INPUTS = [
  { field: 'name', flex: 3, label: 'purchases.item', testId: 'name' },
  { field: 'quantity', flex: 1, label: 'purchases.quantity', testId: 'qty' },
  { field: 'unitPrice', flex: 1.5, label: 'purchases.unitPrice', testId: 'price' },
] as const;

const today = () => new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD in local time

interface FormProps {
  links: { companyId?: string; contactId?: string };
  currency: string;
  setCurrency(currency: string): void;
  onClose(): void;
  onSaved(p: Purchase): void;
}

/** Records a purchase: date, currency and item lines; the server computes the exact total. */
export function PurchaseFormModal({ opened, links, onClose, onSaved }: { opened: boolean } & Omit<FormProps, 'currency' | 'setCurrency'>) {
  const { t } = useCrmT();
  // The currency stays as last chosen between openings; the rest starts afresh.
  const [currency, setCurrency] = useState('CNY');
  return (
    <CrmFormModal opened={opened} onClose={onClose} title={t('purchases.record')} size="lg" testId="purchase-form">
      <PurchaseForm links={links} currency={currency} setCurrency={setCurrency} onClose={onClose} onSaved={onSaved} />
    </CrmFormModal>
  );
}

function PurchaseForm({ links, currency, setCurrency, onClose, onSaved }: FormProps) {
  const { t, i18n } = useCrmT();
  const [date, setDate] = useState(today());
  const [lines, setLines] = useState<Line[]>([{ name: '', quantity: '1', unitPrice: '' }]);
  const [notes, setNotes] = useState('');
  const submission = useFormSubmit();

  const setLine = (i: number, patch: Partial<Line>) => setLines((l) => l.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  // Preview only (quantities with decimals are rounded here); the saved amount is the server's exact sum.
  const preview = lines.reduce((sum, l) => sum + toCents(l.unitPrice || '0') * BigInt(Math.round(Number(l.quantity) || 0)), 0n);
  const filled = lines.filter((l) => l.name.trim());

  async function save() {
    await submission.submit(true, async () => {
      const { purchase } = await crmApi.createPurchase({
        ...links,
        purchasedOn: date,
        currency,
        notes: notes.trim() || null,
        items: filled.map((l) => ({ name: l.name.trim(), quantity: l.quantity.trim() || '1', unitPrice: l.unitPrice.trim() || '0' })),
      });
      onSaved(purchase);
    });
  }

  return (
    <CrmFormBody testId="purchase-form" submission={submission} onCancel={onClose} onSubmit={save} disabled={!filled.length || !date}>
      <Group grow>
        <DateField label={t('purchases.date')} value={date} onChange={setDate} required testId="purchase-form-date" />
        <CurrencySelect value={currency} onChange={setCurrency} />
      </Group>
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {t('purchases.items')}
        </Text>
        {lines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an item line being typed has no id; its place is its identity
          <Group key={i} gap="xs" wrap="nowrap">
            {LINE_INPUTS.map(({ field, flex, label, testId }) => (
              <TextInput
                key={field}
                flex={flex}
                placeholder={t(label)}
                value={l[field]}
                onChange={(e) => setLine(i, { [field]: e.currentTarget.value })}
                aria-label={t(label)}
                data-testid={`purchase-item-${testId}-${i}`}
              />
            ))}
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('actions.remove')}
              onClick={() => setLines((x) => x.filter((_, j) => j !== i))}
              disabled={lines.length === 1}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group justify="space-between">
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            onClick={() => setLines((x) => [...x, { name: '', quantity: '1', unitPrice: '' }])}
          >
            {t('purchases.addItem')}
          </Button>
          <Text size="sm" fw={500}>
            {t('purchases.total')}: {formatMoney(fromCents(preview), currency, i18n.language)}
          </Text>
        </Group>
      </Stack>
      <NotesField value={notes} onChange={setNotes} />
    </CrmFormBody>
  );
}
