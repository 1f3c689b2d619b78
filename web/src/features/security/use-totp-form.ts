import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useFormSubmit } from '../../components/modal-form.tsx';
import { securityErrorText, useSecurityT } from './text.ts';
import { isTotpCode } from './totp-code-input.tsx';

/** A recovery code as typed: 10 letters and digits, maybe with a dash or spaces (the server checks the rest). */
const isRecoveryCodeText = (text: string) => /^[a-z0-9]{10}$/i.test(text.replace(/[\s-]/g, ''));

/**
 * A form that sends one authenticator code (signing in, turning 2FA on): the code, its error under the
 * field (a wrong code empties it for the next try), and the request in flight.
 */
/** A code the server refused: at sign-in (401) and when turning 2FA on (422) the codes differ. */
const WRONG_CODE = new Set(['totp_invalid', 'two_factor_code_rejected', 'two_factor_code_required']);
const isWrongCode = (error: unknown) => error instanceof ApiError && WRONG_CODE.has(error.code);

export function useTotpForm(
  send: (code: string) => Promise<void>,
  { othersValid = true, allowRecovery = false }: { othersValid?: boolean; allowRecovery?: boolean } = {},
) {
  const { t } = useSecurityT();
  const [code, setCode] = useState('');
  const { touched, busy, error, submit, setError } = useFormSubmit();
  const wrongCode = isWrongCode(error);
  const codeOk = isTotpCode(code) || (allowRecovery && isRecoveryCodeText(code));
  const codeError =
    (wrongCode ? securityErrorText(t, error) : null) ??
    (touched && !codeOk ? t(allowRecovery ? 'login.recoveryFormat' : 'twoFactor.codeFormat') : null);

  const sendCode = () =>
    submit(codeOk && othersValid, async () => {
      try {
        await send(code);
      } catch (err) {
        if (isWrongCode(err)) setCode('');
        throw err;
      }
    });

  return { code, setCode, busy, error, setError, wrongCode, codeError, sendCode, touched };
}
