import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type ChannelMessage, forgetSignin, openChannel, type PendingSignin, pendingSignin, POPUP_NAME } from './signin-launch.ts';

export type SigninReturn =
  | { kind: 'none' }
  /** This window is the sign-in popup: it told the wizard and closes. */
  | { kind: 'popup-done' }
  /** Back in this tab (or a popup whose wizard is gone): go on here with what was remembered, if anything. */
  | { kind: 'resume'; id: string; errorCode: string | null; pending: PendingSignin | null };

/** How long a popup waits for the wizard that opened it to answer before it goes on by itself. */
const ACK_WAIT_MS = 1500;

/**
 * The provider sent the browser back to /settings/mailboxes?signin=<id>[&signinError=<code>]. In the popup,
 * tell the waiting wizard and close; otherwise hand the page what it needs to go on, and tidy the address.
 */
export function useSigninReturn(): [SigninReturn, () => void] {
  const [params, setParams] = useSearchParams();
  const id = params.get('signin');
  const errorCode = params.get('signinError');
  const [outcome, setOutcome] = useState<SigninReturn>({ kind: 'none' });
  // Read once per return: the effect below forgets the record, and React may run an effect twice.
  const pending = useMemo(() => (id ? pendingSignin(id) : null), [id]);

  useEffect(() => {
    if (!id) return;
    const resumeHere = (record: PendingSignin | null) => {
      setOutcome({ kind: 'resume', id, errorCode, pending: record });
      forgetSignin(id);
      setParams(
        (p) => {
          p.delete('signin');
          p.delete('signinError');
          return p;
        },
        { replace: true },
      );
    };
    const isPopup = pending?.mode === 'popup' || (!pending && window.name === POPUP_NAME);
    if (!isPopup) {
      resumeHere(pending);
      return;
    }
    const channel = openChannel();
    let acked = false;
    if (channel) {
      channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
        if (event.data?.type !== 'ack' || event.data.id !== id) return;
        acked = true;
        setOutcome({ kind: 'popup-done' });
        window.close();
      };
      channel.postMessage({ type: 'returned', id, error: errorCode } satisfies ChannelMessage);
    }
    // Nobody answered (the wizard's tab was closed or reloaded): this window carries on by itself.
    const timer = window.setTimeout(() => {
      if (!acked) resumeHere(pending);
    }, ACK_WAIT_MS);
    return () => {
      window.clearTimeout(timer);
      channel?.close();
    };
  }, [id, errorCode, pending, setParams]);

  return [outcome, () => setOutcome({ kind: 'none' })];
}
