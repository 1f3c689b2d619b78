import { Select, SimpleGrid, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import {
  IconBrandGmail,
  IconBrandWindows,
  IconBuildingSkyscraper,
  IconCloud,
  IconMail,
  IconMailCog,
  IconMessageCircle,
  IconSearch,
  IconServer,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { localText, useMailboxesT } from './text.ts';
import type { Provider } from './types.ts';
import { CARDS, type CardKey } from './wizard-state.ts';

const ICONS: Record<CardKey, ReactNode> = {
  microsoft: <IconBrandWindows size={20} />,
  gmail: <IconBrandGmail size={20} />,
  outlook: <IconMail size={20} />,
  qq: <IconMessageCircle size={20} />,
  netease: <IconMailCog size={20} />,
  exmail: <IconBuildingSkyscraper size={20} />,
  aliyun: <IconCloud size={20} />,
  other: <IconSearch size={20} />,
  custom: <IconServer size={20} />,
};

interface ProviderPickerProps {
  card: CardKey | null;
  otherProviderId: string | null;
  providers: Provider[];
  onPick(card: CardKey, otherProviderId: string | null): void;
}

/** Step 1: the kind of mailbox, as cards; "Other providers" opens a searchable list of the whole catalogue. */
export function ProviderPicker({ card, otherProviderId, providers, onPick }: ProviderPickerProps) {
  const { t, i18n } = useMailboxesT();
  const others = providers
    .filter((p) => p.id !== 'custom')
    .map((p) => ({ value: p.id, label: localText(p.name, i18n.language) }))
    .sort((a, b) => a.label.localeCompare(b.label, i18n.language));

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
        {CARDS.map(({ key }) => {
          const selected = card === key;
          return (
            <UnstyledButton
              key={key}
              onClick={() => onPick(key, key === 'other' ? otherProviderId : null)}
              p="sm"
              aria-pressed={selected}
              data-testid={`card-${key}`}
              style={{
                border: `1px solid var(--mantine-color-${selected ? 'indigo-6' : 'gray-3'})`,
                borderRadius: 'var(--mantine-radius-sm)',
                background: selected ? 'var(--mantine-color-indigo-0)' : 'var(--mantine-color-white)',
              }}
            >
              <Stack gap={4}>
                <ThemeIcon variant="light" size={32} color={selected ? 'indigo' : 'gray'}>
                  {ICONS[key]}
                </ThemeIcon>
                <Text size="sm" fw={600}>
                  {t(`cards.${key}.title`)}
                </Text>
                <Text size="xs" c="dimmed" lh={1.3}>
                  {t(`cards.${key}.body`)}
                </Text>
              </Stack>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
      {card === 'other' ? (
        <Select
          label={t('cards.otherSelect')}
          placeholder={t('cards.otherPlaceholder')}
          searchable
          data={others}
          value={otherProviderId}
          onChange={(v) => onPick('other', v)}
          nothingFoundMessage={t('cards.nothingFound')}
          data-testid="other-provider"
        />
      ) : null}
    </Stack>
  );
}
