import { Box, Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { ProductMark } from './product-mark.tsx';
import { StackForm } from './stack-form.tsx';

/** The frame of the pages shown before sign-in: product mark, a card, the language switch. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <Box mih="100vh" bg="gray.0">
      {/* Landmarks: the language switch in a banner, the card in the page's main region. */}
      <Group component="header" justify="flex-end" p="sm">
        <LanguageSwitch />
      </Group>
      <Center component="main" pt={40} px="md">
        <Stack w={380} gap="lg">
          <ProductMark size="card" centered />
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

interface AuthFormProps {
  onSubmit(): unknown;
  /** The form's `useFormSubmit()`: the request in flight and the API's error. */
  submission: { busy: boolean; error: unknown };
  submitLabel: string;
  /** The prefix of the error's and the submit button's test ids (`<testId>-error`, `<testId>-submit`). */
  testId: string;
  disabled?: boolean;
  children: ReactNode;
}

/** The form in that card: the request's error, the fields, and one wide submit button. */
export function AuthForm({ onSubmit, submission, submitLabel, testId, disabled, children }: AuthFormProps) {
  return (
    <StackForm onSubmit={onSubmit}>
      <ErrorAlert error={submission.error} testId={`${testId}-error`} />
      {children}
      <Button type="submit" loading={submission.busy} disabled={disabled} fullWidth mt="xs" data-testid={`${testId}-submit`}>
        {submitLabel}
      </Button>
    </StackForm>
  );
}
