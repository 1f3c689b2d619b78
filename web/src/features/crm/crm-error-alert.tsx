import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import en from '../../i18n/crm.en.json' with { type: 'json' };
import { useCrmT } from './text.ts';

type CrmCode = keyof typeof en.errors;
const isCrmCode = (code: string): code is CrmCode => Object.hasOwn(en.errors, code);

/** Like ErrorAlert, but knows the CRM's own error codes (a used address, a stage with deals, …). */
export function CrmErrorAlert({ error, testId = 'form-error' }: { error: unknown; testId?: string }) {
  const { t } = useCrmT();
  if (error instanceof ApiError && isCrmCode(error.code)) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertCircle size={18} />}
        title={t(`errors.${error.code}`)}
        data-testid={testId}
        data-code={error.code}
      />
    );
  }
  return <ErrorAlert error={error} testId={testId} />;
}
