/**
 * Where a write field goes: its column, or its column and how a non-null value is stored there
 * (`['due_at', toDate]`). Null is stored as null without conversion.
 */
export type ColumnMapping<V> = string | readonly [string, (value: Exclude<V, undefined | null>) => unknown];

type ColumnName<C> = C extends readonly [infer N extends string, unknown] ? N : C extends string ? C : never;
type ColumnValue<V, C> = C extends readonly [string, (value: never) => infer R] ? R | Extract<V, null> : V;

/** The columns a write names, typed for Kysely's `values()` and `set()`: every one optional. */
export type DefinedColumns<W, M> = {
  -readonly [K in keyof M & keyof W as ColumnName<M[K]>]?: ColumnValue<Exclude<W[K], undefined>, M[K]>;
};

/**
 * The columns of a CRM write (insert or patch) for the fields it names: a field left undefined is left
 * out, so a patch changes only what the request named. A resource lists its fields once:
 * `definedColumns(write, { name: 'name', companyId: 'company_id', dueAt: ['due_at', toDate] })`.
 */
export function definedColumns<W extends object, const M extends { [K in keyof W]?: ColumnMapping<W[K]> }>(
  write: W,
  columns: M,
): DefinedColumns<W, M> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(columns) as [string, ColumnMapping<unknown>][]) {
    const value = (write as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (typeof column === 'string') out[column] = value;
    else out[column[0]] = value === null ? null : column[1](value);
  }
  return out as DefinedColumns<W, M>;
}

/** For timestamp columns written from ISO strings. */
export const toDate = (value: string): Date => new Date(value);

/** For jsonb columns: the driver is given the JSON text. */
export const toJson = (value: unknown): string => JSON.stringify(value);
