import { Alert, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { errorText } from '../../api/problem-text.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import en from '../../i18n/signin.en.json' with { type: 'json' };
import { useSigninT } from './text.ts';

type SigninErrorCode = Exclude<keyof typeof en.errors, 'fixTitle' | 'generic'>;

export function isSigninErrorCode(code: string | null | undefined): code is SigninErrorCode {
  return !!code && code !== 'fixTitle' && code !== 'generic' && Object.hasOwn(en.errors, code);
}

/** The title and fix of a sign-in failure code, in the UI language; a code we do not know gets the generic pair. */
export function useSigninErrorText() {
  const { t } = useSigninT();
  return (code: string | null) => {
    const key = isSigninErrorCode(code) ? code : 'generic';
    return { title: t(`errors.${key}.title`), fix: t(`errors.${key}.fix`) };
  };
}

interface SigninErrorAlertProps {
  /** A sign-in failure code (from the flow, the redirect or a problem). */
  code: string | null;
  /** A failed request without such a code: shown like any API error. */
  error?: unknown;
  children?: ReactNode;
  testId?: string;
}

/** Why a sign-in failed and how to fix it, like the connection test's failures. */
export function SigninErrorAlert({ code, error, children, testId = 'signin-error' }: SigninErrorAlertProps) {
  const { t } = useSigninT();
  const { t: tc } = useTranslation();
  const textOf = useSigninErrorText();
  if (!code && error) {
    const { title, detail } = errorText(tc, error);
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} data-testid={testId} data-code="">
        {detail}
        {children}
      </Alert>
    );
  }
  const { title, fix } = textOf(code);
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={title} data-testid={testId} data-code={code ?? ''}>
      <Text size="sm" fw={600}>
        {t('errors.fixTitle')}
      </Text>
      <Text size="sm" data-testid={`${testId}-fix`}>
        {fix}
      </Text>
      {children}
    </Alert>
  );
}

/** An API failure: sign-in codes (oauth_*) with their fix, anything else as the app's usual error alert. */
export function RequestErrorAlert({ error, testId }: { error: unknown; testId?: string }) {
  if (!error) return null;
  if (error instanceof ApiError && isSigninErrorCode(error.code)) return <SigninErrorAlert code={error.code} testId={testId} />;
  return <ErrorAlert error={error} testId={testId} />;
}
