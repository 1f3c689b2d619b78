import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/problem-text.ts';

/** Shows an API failure: the localised message as title, the server's detail below it. */
export function ErrorAlert({ error, testId = 'form-error' }: { error: unknown; testId?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const { title, detail } = errorText(t, error);
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} data-testid={testId}>
      {detail}
    </Alert>
  );
}
