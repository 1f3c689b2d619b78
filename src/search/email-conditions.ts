import { type RawBuilder, sql } from 'kysely';
import type { MailAccess } from '../store/visibility.ts';
import { containsPattern, type SearchTerm, tsOperand } from './query-terms.ts';

/**
 * What each reader may match on. Weights in messages.search_tsv: A subject, B from/to/cc, C bcc, D body.
 * A subject-only reader's terms carry `:AB`, a metadata-only reader's `:B`: the index itself refuses to
 * find a body word for them, so a result can never reveal what a body they may not read contains.
 */
export const WEIGHTS: Record<MailAccess, string> = { full: '', subject: 'AB', metadata: 'B' };
/** ts_rank weights {D, C, B, A}: zero for the parts a reader may not match on, so they cannot sway the order either. */
export const RANK_WEIGHTS: Record<MailAccess, string> = { full: '{0.1,0.2,0.4,1.0}', subject: '{0,0,0.4,1.0}', metadata: '{0,0,0.4,0}' };

/** Distinct adjacent pairs of a CJK term: the tokens tidings_cjk_bigrams stored for it. */
export function cjkBigrams(t: string): string[] {
  const chars = [...t];
  return [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
}
const names = sql`(m."from" || m."to" || m.cc)::text`;
const tsq = (operands: string[]) => sql<boolean>`m.search_tsv @@ to_tsquery('simple', ${operands.join(' & ')})`;

/**
 * Stored CJK bigrams cover only the first 20,000 characters of a subject or body (tidings_cjk_bigrams), so a
 * text longer than that may hold a substring its bigrams miss. octet_length reads a TOASTed value's size
 * without decompressing it and is ≥ the character count, so this never lets a long text slip through; it is
 * word for word the predicate of messages_long_text_idx, which lets the planner OR it into a bitmap scan.
 */
const LONG_TEXT: Record<MailAccess, RawBuilder<boolean> | null> = {
  full: sql<boolean>`(octet_length(m.subject) > 20000 or octet_length(m.text_body) > 20000)`,
  subject: sql<boolean>`octet_length(m.subject) > 20000`,
  metadata: null,
};

/**
 * The text match of every term for one access level.
 *
 * Plan shape: everything a GIN probe can answer goes into tsqueries — word prefixes, 2-character CJK terms,
 * and the bigrams of every 3+ character CJK term — so the planner can intersect index results (or walk the
 * date index with a cheap tsvector check per row) instead of running a substring scan on every body. A 3+
 * character term is then confirmed as a real substring with LIKE: CJK has no letter case, so LIKE equals
 * ILIKE here and skips lower-casing whole bodies.
 */
export function textCondition(terms: SearchTerm[], access: MailAccess): RawBuilder<boolean> {
  const weights = WEIGHTS[access];
  const operands: string[] = [];
  const grams: string[] = [];
  const parts: RawBuilder<boolean>[] = [];
  for (const t of terms) {
    const p = containsPattern(t.text);
    if (t.kind === 'word') operands.push(tsOperand(t.text, { prefix: true, weights }));
    else if (t.kind === 'cjk2') operands.push(tsOperand(t.text, { prefix: false, weights }));
    else if (t.kind === 'cjk3') {
      const pairs = cjkBigrams(t.text);
      grams.push(...pairs.map((b) => tsOperand(b, { prefix: false, weights })));
      // Names (B) are found through their bigrams; subject and body by the substring itself.
      const viaNames = tsq(pairs.map((b) => tsOperand(b, { prefix: false, weights: 'B' })));
      if (access === 'full') parts.push(sql<boolean>`(m.subject like ${p} or m.text_body like ${p} or ${viaNames})`);
      else if (access === 'subject') parts.push(sql<boolean>`(m.subject like ${p} or ${viaNames})`);
      else parts.push(viaNames);
    } else {
      // One CJK character: no gram index can help; the caller bounds the rows this runs on.
      if (access === 'full') parts.push(sql<boolean>`(m.subject like ${p} or m.text_body like ${p} or ${names} like ${p})`);
      else if (access === 'subject') parts.push(sql<boolean>`(m.subject like ${p} or ${names} like ${p})`);
      else parts.push(sql<boolean>`${names} like ${p}`);
    }
  }
  const long = LONG_TEXT[access];
  // Metadata readers match 3+ character terms on names only, which viaNames already checks exactly as before.
  if (grams.length && access !== 'metadata')
    parts.unshift(long ? sql<boolean>`(${tsq([...new Set(grams)])} or ${long})` : tsq([...new Set(grams)]));
  if (operands.length) parts.unshift(tsq(operands));
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` and `)})` : sql<boolean>`false`;
}

/** One tsquery with every word and bigram term OR'ed, unweighted: for ts_rank (weights come from RANK_WEIGHTS). */
export function rankQuery(terms: SearchTerm[]): string | null {
  const ops = terms
    .filter((t) => t.kind === 'word' || t.kind === 'cjk2')
    .map((t) => tsOperand(t.text, { prefix: t.kind === 'word', weights: '' }));
  return ops.length ? ops.join(' | ') : null;
}

/** Attachment names (full readers only): every term in one file name. */
export function attachmentCondition(terms: SearchTerm[]): RawBuilder<boolean> {
  const likes = terms.map((t) => sql`a.filename ilike ${containsPattern(t.text)}`);
  return sql<boolean>`m.id in (select a.message_id from attachments a where ${sql.join(likes, sql` and `)})`;
}
