import { useTranslation } from 'react-i18next';
import type { StageName } from './types.ts';

/** The feature's translator: every string of the CRM pages lives in the `crm` namespace. */
export function useCrmT() {
  return useTranslation('crm');
}

const isChinese = (language: string) => language.toLowerCase().startsWith('zh');

/** A stage's name in the UI language, else in the other one (an admin may have named it in one only). */
export function stageLabel(name: StageName, language: string): string {
  return (isChinese(language) ? (name['zh-CN'] ?? name.en) : (name.en ?? name['zh-CN'])) ?? '—';
}

/** A decimal string from the API, shown with its currency. Display only: sums are the server's job. */
export function formatMoney(amount: string, currency: string, language: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function formatDate(value: string | null, language: string): string {
  if (!value) return '—';
  // A date-only value (YYYY-MM-DD) is a calendar day, not midnight UTC: format it without a time zone shift.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(date);
}

export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP', 'SGD', 'TWD', 'KRW', 'AUD'];

/** Splits a user-typed list ("a, b；c") on commas, Chinese commas, semicolons and new lines. */
export function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[,，;；、\n]+/)
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}
