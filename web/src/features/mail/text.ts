import { useTranslation } from 'react-i18next';
import en from '../../i18n/mail.en.json' with { type: 'json' };
import zhCN from '../../i18n/mail.zh-CN.json' with { type: 'json' };
import type { Address, FolderNode } from './types.ts';

// Both catalogues of the mail pages must hold the same keys: each assignment fails to compile when one lacks a key.
const zhHasEveryEnglishKey: typeof en = zhCN;
const enHasEveryChineseKey: typeof zhCN = en;
export const mailKeysMatch = [zhHasEveryEnglishKey, enHasEveryChineseKey] as const;

/** The feature's translator: every string of the mail reader lives in the `mail` namespace. */
export function useMailT() {
  return useTranslation('mail');
}

type RoleKey = keyof typeof en.roles;
const isRole = (role: string | null): role is RoleKey => role !== null && Object.hasOwn(en.roles, role);

/** A folder's name: the role's name in the UI language for special folders, the server's name otherwise. */
export function useFolderName() {
  const { t } = useMailT();
  return (folder: Pick<FolderNode, 'name' | 'role'>) => (isRole(folder.role) ? t(`roles.${folder.role}`) : folder.name);
}

export const addressLabel = (a: Address) => a.name?.trim() || a.address;

export function addressList(list: Address[]): string {
  return list.map((a) => (a.name?.trim() ? `${a.name.trim()} <${a.address}>` : a.address)).join(', ');
}

/** Today: the time; this year: day and month; older: the date. */
export function shortDate(value: string | null, locale: string): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(d);
  if (d.getFullYear() === now.getFullYear()) return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(d);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
