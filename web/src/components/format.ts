/** A date and time in the UI language's own format; `null` means it never happened. */
export function formatDateTime(value: string | null, locale: string, never: string): string {
  if (!value) return never;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
