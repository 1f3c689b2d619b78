import type { WizardForm } from '../mailboxes/wizard-state.ts';

/**
 * Getting the browser to the provider and back. A sign-in opens the provider in a popup so the wizard
 * stays open; when the browser blocks the popup it goes in the same tab, and the wizard is rebuilt from
 * what is remembered here when the provider sends the browser back to /settings/mailboxes?signin=<id>.
 *
 * Both windows share localStorage and a BroadcastChannel (same origin), so the popup finds out that it is
 * the popup and tells the wizard without needing `window.opener`, which a provider's
 * Cross-Origin-Opener-Policy may cut.
 */

/** What the page that the provider sends the browser back to needs in order to go on. */
export type ResumeContext =
  | { purpose: 'bind'; form: WizardForm }
  | { purpose: 'reauth'; mailboxId: string; email: string }
  | { purpose: 'invite'; invitationId: string };

export interface PendingSignin {
  id: string;
  mode: 'popup' | 'redirect';
  context: ResumeContext;
  createdAt: number;
}

export interface ReturnMessage {
  type: 'returned';
  id: string;
  error: string | null;
}

interface AckMessage {
  type: 'ack';
  id: string;
}

export type ChannelMessage = ReturnMessage | AckMessage;

const STORE_PREFIX = 'tidings.signin.';
/** A provider's authorization request expires long before this; older records are litter. */
const MAX_AGE_MS = 60 * 60 * 1000;
export const CHANNEL_NAME = 'tidings-signin';
export const POPUP_NAME = 'tidings-signin';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function dropStale(store: Storage): void {
  const now = Date.now();
  for (let i = store.length - 1; i >= 0; i--) {
    const key = store.key(i);
    if (!key?.startsWith(STORE_PREFIX)) continue;
    try {
      const record = JSON.parse(store.getItem(key) ?? 'null') as PendingSignin | null;
      if (!record || now - record.createdAt > MAX_AGE_MS) store.removeItem(key);
    } catch {
      store.removeItem(key);
    }
  }
}

/** Remembers a started sign-in; the password of the wizard's form is never written down. */
export function rememberSignin(id: string, mode: PendingSignin['mode'], context: ResumeContext): void {
  const store = storage();
  if (!store) return;
  dropStale(store);
  const safe: ResumeContext = context.purpose === 'bind' ? { ...context, form: { ...context.form, password: '' } } : context;
  const record: PendingSignin = { id, mode, context: safe, createdAt: Date.now() };
  store.setItem(STORE_PREFIX + id, JSON.stringify(record));
}

export function pendingSignin(id: string): PendingSignin | null {
  const raw = storage()?.getItem(STORE_PREFIX + id);
  if (!raw) return null;
  try {
    const record = JSON.parse(raw) as PendingSignin;
    return Date.now() - record.createdAt > MAX_AGE_MS ? null : record;
  } catch {
    return null;
  }
}

export function forgetSignin(id: string): void {
  storage()?.removeItem(STORE_PREFIX + id);
}

/**
 * Opens an empty popup at once, inside the click that asked for it (browsers block popups opened later);
 * the provider's address is filled in once the server answers. Null when the browser blocked it.
 */
export function openSigninWindow(): Window | null {
  const width = 520;
  const height = 720;
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2));
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 2));
  try {
    return window.open('about:blank', POPUP_NAME, `popup,width=${width},height=${height},left=${left},top=${top}`);
  } catch {
    return null;
  }
}

export function openChannel(): BroadcastChannel | null {
  return typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
}
