import { Box, Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './language-switch.tsx';

/** The frame of the pages shown before sign-in: product mark, a card, the language switch. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      {/* Landmarks: the language switch in a banner, the card in the page's main region. */}
      <Group component="header" justify="flex-end" p="sm">
        <LanguageSwitch />
      </Group>
      <Center component="main" pt={40} px="md">
        <Stack w={380} gap="lg">
          <Group gap="xs" justify="center">
            <ThemeIcon size={32} radius="sm" variant="filled">
              <IconMail size={20} />
            </ThemeIcon>
            <Text fw={700} size="xl" data-testid="product-name">
              {t('app.name')}
            </Text>
          </Group>
          <Paper withBorder shadow="xs" p="lg">
            <Stack gap={4} mb="md">
              <Title order={1} size="h3" data-testid="page-title">
                {title}
              </Title>
              <Text size="sm" c="dimmed">
                {subtitle}
              </Text>
            </Stack>
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
