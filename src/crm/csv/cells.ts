/**
 * Spreadsheet formula injection: a cell starting with = + - @ (or tab/CR, which some spreadsheets skip
 * before looking) runs as a formula when the export is opened. A leading single quote makes it text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse on import, so an exported file imports back unchanged. */
export function unguardCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

export function splitList(value: string, separators: RegExp): string[] {
  return value
    .split(separators)
    .map((v) => v.trim())
    .filter(Boolean);
}

export const EMAIL_SEPARATORS = /[;,；，\s]+/;
export const PHONE_SEPARATORS = /[;,；，、]+/;
export const TAG_SEPARATORS = /[;,；，、|]+/;
