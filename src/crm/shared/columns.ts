import { type ColumnOf, columnOf } from '../../kernel/index.ts';

export { type ColumnOf, columnOf };

/** How a non-null field value is stored in its column (`{ dueAt: toDate }`); null is stored as null without conversion. */
export type Converters<F extends string> = { readonly [K in F]?: (value: never) => unknown };

type StoredValue<V, C> = [C] extends [never] ? Exclude<V, undefined> : C extends (value: never) => infer R ? R | Extract<V, null> : never;

/**
 * The columns a write names, typed for Kysely's `values()` and `set()`. A field the write type requires is
 * a required column, so an insert whose input type requires a table's mandatory fields type-checks as is.
 */
export type DefinedColumns<W, F extends keyof W, C> = {
  -readonly [K in keyof W as K extends F & string ? ColumnOf<K> : never]: StoredValue<W[K], K extends keyof C ? C[K] : never>;
};

/**
 * The columns of a CRM write (insert or patch) for the fields it names: a field left undefined is left
 * out, so a patch changes only what the request named. A resource lists its fields once:
 * `definedColumns(write, ['name', 'companyId', 'dueAt'], { dueAt: toDate })`.
 */
export function definedColumns<
  W extends object,
  const F extends readonly (keyof W & string)[],
  const C extends Converters<F[number]> = Record<never, never>,
>(write: W, fields: F, convert?: C): DefinedColumns<W, F[number], C> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value: unknown = write[field];
    if (value === undefined) continue;
    const toColumn = (convert as Record<string, ((value: unknown) => unknown) | undefined> | undefined)?.[field];
    out[columnOf(field)] = value === null || !toColumn ? value : toColumn(value);
  }
  return out as DefinedColumns<W, F[number], C>;
}

/** For timestamp columns written from ISO strings. */
export const toDate = (value: string): Date => new Date(value);

/** For jsonb columns: the driver is given the JSON text. */
export const toJson = (value: unknown): string => JSON.stringify(value);
