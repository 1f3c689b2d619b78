import { z } from 'zod';

/** A query-string boolean: only `true` or `false`, so a typo is a 400 rather than a silent false. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
