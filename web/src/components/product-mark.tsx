import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

const SIZES = {
  header: { badge: 26, icon: 16, text: 'md' },
  card: { badge: 32, icon: 20, text: 'xl' },
} as const;

/** The product's mark and name: small in the app's header, larger above the sign-in card. */
export function ProductMark({ size, centered = false }: { size: keyof typeof SIZES; centered?: boolean }) {
  const { t } = useTranslation();
  const { badge, icon, text } = SIZES[size];
  return (
    <Group gap="xs" justify={centered ? 'center' : undefined} wrap={centered ? undefined : 'nowrap'}>
      <ThemeIcon size={badge} radius="sm" variant="filled">
        <IconMail size={icon} />
      </ThemeIcon>
      <Text fw={700} size={text} data-testid="product-name">
        {t('app.name')}
      </Text>
    </Group>
  );
}
