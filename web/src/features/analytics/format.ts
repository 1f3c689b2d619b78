import { useTranslation } from 'react-i18next';

/** The charts' translator: every string of the analytics lives in the `analytics` namespace. */
export function useAnalyticsT() {
  return useTranslation('analytics');
}

/** A calendar day (YYYY-MM-DD) read as that day, not as midnight UTC shifted into the browser's zone. */
const day = (value: string) => new Date(`${value}T12:00:00`);

/** Number, currency and date formats of the UI language (zh-CN or en), through Intl. */
export function formatsFor(language: string) {
  const number = new Intl.NumberFormat(language);
  const week = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' });
  const month = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short' });
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  return {
    number: (n: number) => number.format(n),
    week: (value: string) => week.format(day(value)),
    month: (value: string) => month.format(day(value)),
    percent: (n: number) => percent.format(n),
    money(amount: number | string, currency: string): string {
      try {
        return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }).format(Number(amount));
      } catch {
        return `${amount} ${currency}`;
      }
    },
    /** Minutes as "45 min", "3.5 h" or "2.1 days" in the language's units. */
    duration(minutes: number): string {
      const unit = (value: number, u: 'minute' | 'hour' | 'day') =>
        new Intl.NumberFormat(language, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
      if (minutes < 90) return unit(minutes, 'minute');
      if (minutes < 48 * 60) return unit(minutes / 60, 'hour');
      return unit(minutes / 1440, 'day');
    },
  };
}

export type Formats = ReturnType<typeof formatsFor>;

/** Today and `days` − 1 days before it, in the browser's time zone, as YYYY-MM-DD. */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const from = new Date(now);
  from.setDate(from.getDate() - (days - 1));
  return { from: iso(from), to: iso(now) };
}
