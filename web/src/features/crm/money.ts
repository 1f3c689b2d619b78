/** Decimal strings ("1234.5", "-3.10") to integer cents and back: totals without float drift. */
export function toCents(amount: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return 0n;
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Sums amounts per currency, in first-seen order. */
export function totalsByCurrency(rows: Array<{ amount: string; currency: string }>): Array<{ currency: string; amount: string }> {
  const sums = new Map<string, bigint>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? 0n) + toCents(r.amount));
  return [...sums].map(([currency, cents]) => ({ currency, amount: fromCents(cents) }));
}
