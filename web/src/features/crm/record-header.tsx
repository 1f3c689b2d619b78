import { Anchor, Breadcrumbs, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

/** The card at the top of a record page: back link, name, facts, and the record's actions. */
export function RecordHeader({
  back,
  name,
  facts,
  actions,
  testId,
}: {
  back: { to: string; label: string };
  name: string;
  facts: Array<{ label: string; value: ReactNode }>;
  actions?: ReactNode;
  testId: string;
}) {
  return (
    <Paper withBorder p="md" mb="md" data-testid={testId}>
      <Breadcrumbs mb={6} fz="sm">
        <Anchor component={Link} to={back.to} size="sm">
          {back.label}
        </Anchor>
        <Text size="sm" c="dimmed">
          {name}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Title order={1} size="h3" data-testid="record-name">
          {name}
        </Title>
        {actions ? <Group gap="xs">{actions}</Group> : null}
      </Group>
      <Group gap="xl" mt="sm" align="flex-start">
        {facts.map((f) => (
          <Stack key={f.label} gap={0} maw={360}>
            <Text size="xs" c="dimmed">
              {f.label}
            </Text>
            <Text size="sm" component="div">
              {f.value}
            </Text>
          </Stack>
        ))}
      </Group>
    </Paper>
  );
}
