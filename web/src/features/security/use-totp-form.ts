import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useFormSubmit } from '../../components/modal-form.tsx';
import { securityErrorText, useSecurityT } from './text.ts';
import { isTotpCode } from './totp-code-input.tsx';

/**
 * A form that sends one authenticator code (signing in, turning 2FA on): the code, its error under the
 * field (a wrong code empties it for the next try), and the request in flight.
 */
export function useTotpForm(send: (code: string) => Promise<void>) {
  const { t } = useSecurityT();
  const [code, setCode] = useState('');
  const { touched, busy, error, submit, setError } = useFormSubmit();
  const wrongCode = error instanceof ApiError && error.code === 'totp_invalid';
  const codeError = (wrongCode ? securityErrorText(t, error) : null) ?? (touched && !isTotpCode(code) ? t('twoFactor.codeFormat') : null);

  const sendCode = () =>
    submit(isTotpCode(code), async () => {
      try {
        await send(code);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'totp_invalid') setCode('');
        throw err;
      }
    });

  return { code, setCode, busy, error, setError, wrongCode, codeError, sendCode };
}
