import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { signinApi } from './api.ts';
import { type ChannelMessage, forgetSignin, openChannel, openSigninWindow, rememberSignin, type ResumeContext } from './signin-launch.ts';
import type { DeviceCode, SigninFlow, StartFlowInput } from './types.ts';

export type SigninState =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'redirecting' }
  | { phase: 'waiting'; flowId: string; popup: Window | null; authorizationUrl: string }
  | { phase: 'device'; flowId: string; device: DeviceCode }
  | { phase: 'done'; flow: SigninFlow }
  /** `code` is a sign-in failure code (oauth_*); `error` a failed request that carries no such code. */
  | { phase: 'failed'; code: string | null; error: unknown };

/** How often the wizard asks the server about a sign-in it waits for in another window. */
const POLL_MS = 2000;

export function failureOf(error: unknown): SigninState {
  if (error instanceof ApiError && error.code.startsWith('oauth_')) return { phase: 'failed', code: error.code, error };
  return { phase: 'failed', code: null, error };
}

/** A flow's outcome as the hook reports it: done once signed in (or already applied), else its failure. */
function settled(flow: SigninFlow): SigninState | null {
  if (flow.status === 'signed_in' || flow.status === 'used') return { phase: 'done', flow };
  if (flow.status === 'failed') return { phase: 'failed', code: flow.error?.code ?? null, error: null };
  return null;
}

/**
 * One sign-in with Google or Microsoft: start it (popup, same tab when blocked, or a device code), wait
 * for the provider, and report the flow once it is signed in or failed.
 */
export function useSigninFlow(onDone?: (flow: SigninFlow) => void) {
  const [state, setState] = useState<SigninState>({ phase: 'idle' });
  const doneRef = useRef(onDone);
  doneRef.current = onDone;

  const finish = useCallback((next: SigninState) => {
    setState(next);
    if (next.phase === 'done') {
      forgetSignin(next.flow.id);
      doneRef.current?.(next.flow);
    }
  }, []);

  /** Call from the click itself: the popup must open inside the user's gesture. */
  const start = useCallback((input: Omit<StartFlowInput, 'method' | 'purpose'> & Pick<SigninFlow, 'purpose'>, context: ResumeContext) => {
    const popup = openSigninWindow();
    setState({ phase: 'starting' });
    signinApi.startFlow({ ...input, method: 'code' }).then(
      (started) => {
        if (!started.authorizationUrl) throw new Error('the server answered a code flow without an authorization URL');
        const authorizationUrl = started.authorizationUrl;
        if (popup && !popup.closed) {
          rememberSignin(started.id, 'popup', context);
          popup.location.href = authorizationUrl;
          setState({ phase: 'waiting', flowId: started.id, popup, authorizationUrl });
        } else {
          rememberSignin(started.id, 'redirect', context);
          setState({ phase: 'redirecting' });
          window.location.assign(authorizationUrl);
        }
      },
      (error: unknown) => {
        popup?.close();
        setState(failureOf(error));
      },
    );
  }, []);

  const startDevice = useCallback((input: Omit<StartFlowInput, 'method' | 'purpose'> & Pick<SigninFlow, 'purpose'>) => {
    setState({ phase: 'starting' });
    signinApi.startFlow({ ...input, method: 'device' }).then(
      (started) => {
        if (!started.device) throw new Error('the server answered a device flow without a code');
        setState({ phase: 'device', flowId: started.id, device: started.device });
      },
      (error: unknown) => setState(failureOf(error)),
    );
  }, []);

  /** The popup was closed or lost: open the provider's page again for the same flow. */
  const reopen = useCallback(() => {
    if (state.phase !== 'waiting') return;
    const popup = openSigninWindow();
    if (popup) {
      popup.location.href = state.authorizationUrl;
      setState({ ...state, popup });
    } else {
      window.location.assign(state.authorizationUrl);
    }
  }, [state]);

  const reset = useCallback(() => {
    if (state.phase === 'waiting') {
      state.popup?.close();
      forgetSignin(state.flowId);
    }
    setState({ phase: 'idle' });
  }, [state]);

  /** Resumes a flow the browser came back with (same-tab sign-in): its outcome, as if it was waited for here. */
  const adopt = useCallback(
    (flowId: string, errorCode: string | null) => {
      setState({ phase: 'starting' });
      signinApi.flow(flowId).then(
        (flow) => finish(settled(flow) ?? { phase: 'failed', code: errorCode, error: null }),
        (error: unknown) => setState(errorCode ? { phase: 'failed', code: errorCode, error: null } : failureOf(error)),
      );
    },
    [finish],
  );

  const waitingId = state.phase === 'waiting' || state.phase === 'device' ? state.flowId : null;
  const popup = state.phase === 'waiting' ? state.popup : null;
  const device = state.phase === 'device' ? state.device : null;

  // Waiting for another window (the popup or, for a device code, another device): the popup says when it
  // is back; polling covers a popup that could not tell (a closed channel) and drives the device flow.
  useEffect(() => {
    if (!waitingId) return;
    let stopped = false;
    const check = async (errorCode: string | null = null) => {
      try {
        const flow = await signinApi.flow(waitingId);
        if (stopped) return;
        const outcome = settled(flow) ?? (errorCode ? { phase: 'failed' as const, code: errorCode, error: null } : null);
        if (outcome) {
          stopped = true;
          popup?.close();
          finish(outcome);
        }
      } catch (error) {
        if (stopped) return;
        // A flow the server forgot cannot finish any more; anything else (a network blip) is asked again.
        if (error instanceof ApiError && (error.status === 404 || error.code.startsWith('oauth_'))) {
          stopped = true;
          finish(failureOf(error));
        }
      }
    };
    const channel = openChannel();
    if (channel) {
      channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
        const message = event.data;
        if (message?.type !== 'returned' || message.id !== waitingId) return;
        channel.postMessage({ type: 'ack', id: waitingId } satisfies ChannelMessage);
        void check(message.error);
      };
    }
    const everyMs = device ? Math.max(1000, device.intervalSeconds * 1000) : POLL_MS;
    const expiresAt = device ? Date.parse(device.expiresAt) : Number.POSITIVE_INFINITY;
    const timer = window.setInterval(() => {
      if (Date.now() > expiresAt) {
        stopped = true;
        finish({ phase: 'failed', code: 'oauth_device_expired', error: null });
        return;
      }
      void check();
    }, everyMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      channel?.close();
    };
  }, [waitingId, popup, device, finish]);

  return { state, start, startDevice, reopen, reset, adopt };
}
