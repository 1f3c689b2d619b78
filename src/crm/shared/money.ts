import { CrmError } from '../errors.ts';

/** Up to 12 integer digits and 2 decimals: what numeric(14,2) holds. */
export const MONEY_PATTERN = /^-?\d{1,12}(\.\d{1,2})?$/;
/** Quantities: positive, up to 3 decimals (1.5 kg, 0.25 licences). */
export const QUANTITY_PATTERN = /^\d{1,9}(\.\d{1,3})?$/;

const currencies = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return currencies.has(code);
}

/** Decimal string → integer in units of 10^-scale, exactly (no floats anywhere). */
export function toScaled(value: string, scale: number): bigint {
  const negative = value.startsWith('-');
  const [int, frac = ''] = (negative ? value.slice(1) : value).split('.');
  if (frac.length > scale) throw new CrmError('invalid_amount', `Too many decimals in ${value}.`);
  const n = BigInt(int! + frac.padEnd(scale, '0'));
  return negative ? -n : n;
}

/** Cents → "1234.50". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const int = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${int}.${frac}`;
}

/** quantity × unit price in cents, rounded half up. */
export function lineCents(quantity: string, unitPrice: string): bigint {
  const product = toScaled(quantity, 3) * toScaled(unitPrice, 2); // scale 10^-5
  const sign = product < 0n ? -1n : 1n;
  const abs = product < 0n ? -product : product;
  return sign * ((abs + 500n) / 1000n);
}

/** Normalises a money string to two decimals ("12" → "12.00"). */
export function normaliseMoney(value: string): string {
  return formatCents(toScaled(value, 2));
}
