import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageSwitch } from './language-switch.tsx';
import { ProductMark } from './product-mark.tsx';

/** The frame of the pages shown before sign-in: product mark, a card, the language switch. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="sm">
        <LanguageSwitch />
      </Group>
      <Center pt={40} px="md">
        <Stack w={380} gap="lg">
          <ProductMark size="card" centered />
          <Paper withBorder shadow="xs" p="lg">
            <Stack gap={4} mb="md">
              <Title order={3} data-testid="page-title">
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
