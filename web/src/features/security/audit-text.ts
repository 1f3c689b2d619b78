import type { TFunction } from 'i18next';
import en from '../../i18n/security.en.json' with { type: 'json' };
import type { AuditEntry } from './types.ts';

type T = TFunction<'security'>;
type ActionKey = keyof typeof en.audit.actions;
type TargetKey = keyof typeof en.audit.targets;
type FieldKey = keyof typeof en.audit.fields;

/** The action filter's choices: each is a prefix of the recorded action names. */
export const AUDIT_FILTERS = ['all', 'auth', 'user', 'token', 'mailbox', 'settings', 'setup'] as const;
export type AuditFilter = (typeof AUDIT_FILTERS)[number];

export function filterPrefix(filter: AuditFilter): string | null {
  return filter === 'all' ? null : `${filter}.`;
}

/** A known action in words (`auth.login` → "Signed in"); an unknown one as the server named it. */
export function actionText(t: T, action: string): string {
  const key = action.replace(/\./g, '_');
  return Object.hasOwn(en.audit.actions, key) ? t(`audit.actions.${key as ActionKey}`) : action;
}

/** Entries without a target that still concern one thing: settings changes concern the workspace. */
export function impliedTargetType(action: string): string | null {
  return action.startsWith('settings.') ? 'workspace' : null;
}

export function targetTypeText(t: T, type: string): string {
  return Object.hasOwn(en.audit.targets, type) ? t(`audit.targets.${type as TargetKey}`) : type;
}

function fieldText(t: T, field: string): string {
  return Object.hasOwn(en.audit.fields, field) ? t(`audit.fields.${field as FieldKey}`) : field;
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/**
 * The entry's detail as short phrases: which fields changed (by name — the server never records values of
 * secrets), test outcomes, and any other plain values as `key: value`.
 */
export function detailParts(t: T, entry: AuditEntry, roleText: (role: string) => string): string[] {
  const detail = entry.detail ?? {};
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'changed':
        if (Array.isArray(value) && value.length) {
          parts.push(t('audit.detail.changed', { fields: value.map((f) => fieldText(t, String(f))).join(t('audit.detail.separator')) }));
        }
        break;
      case 'testOk':
      case 'ok':
        parts.push(value ? t('audit.detail.testOk') : t('audit.detail.testFailed'));
        break;
      case 'retested':
        if (value === true && detail.testOk === undefined) parts.push(t('audit.detail.retested'));
        break;
      case 'forced':
        if (value === true) parts.push(t('audit.detail.forced'));
        break;
      case 'via':
        parts.push(value === 'cli' ? t('audit.detail.viaCli') : String(value));
        break;
      case 'role':
        parts.push(t('audit.detail.role', { role: roleText(String(value)) }));
        break;
      case 'active':
        parts.push(value ? t('audit.detail.activeOn') : t('audit.detail.activeOff'));
        break;
      case 'owner':
      case 'user':
      case 'email':
        break; // the target column already names who or which mailbox
      default: {
        const text = Array.isArray(value) ? value.map(scalar).filter(Boolean).join(', ') : scalar(value);
        if (text) parts.push(`${fieldText(t, key)}: ${text}`);
      }
    }
  }
  return parts;
}
