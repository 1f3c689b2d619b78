import type { TFunction } from 'i18next';
import en from '../i18n/en.json' with { type: 'json' };
import { ApiError } from './client.ts';

type KnownCode = keyof typeof en.errors;

function isKnownCode(code: string): code is KnownCode {
  return Object.hasOwn(en.errors, code) && code !== 'generic' && code !== 'too_many_attempts_retry';
}

const DETAIL_MATTERS = new Set<string>(['too_many_attempts', 'validation_failed']);

export interface ErrorText {
  /** A localised sentence for the error's code, or a generic one. */
  title: string;
  /** The server's own explanation (e.g. when to retry), when it adds something. */
  detail: string | null;
}

/** Turns any thrown value into text for the user: localised by `code`, with the server's `detail`. */
export function errorText(t: TFunction, error: unknown): ErrorText {
  if (!(error instanceof ApiError)) return { title: t('errors.generic'), detail: null };
  const { code, problem } = error;
  if (code === 'too_many_attempts' && typeof problem.retryAfterSeconds === 'number') {
    const minutes = Math.max(1, Math.ceil(problem.retryAfterSeconds / 60));
    return { title: t('errors.too_many_attempts_retry', { minutes }), detail: problem.detail ?? null };
  }
  if (!isKnownCode(code)) {
    return { title: problem.detail ?? problem.title ?? t('errors.generic'), detail: null };
  }
  // A translated code says it all, except where the server's text carries specifics (which limit, which field).
  const detail = DETAIL_MATTERS.has(code) && problem.detail ? problem.detail : null;
  return { title: t(`errors.${code}`), detail };
}

/** Field messages from a 400 problem, keyed by the last segment of each path (`body.email` → `email`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {};
  const out: Record<string, string> = {};
  for (const { path, message } of error.problem.errors) {
    const key = path.split(/[./]/).filter(Boolean).pop();
    if (key && !(key in out)) out[key] = message;
  }
  return out;
}
