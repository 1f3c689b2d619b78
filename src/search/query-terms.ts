/**
 * Splits what a person typed into search terms. CJK has no spaces, so a run of CJK characters is one term
 * and a change of script ends a term ("Q3合同" → "q3", "合同"). Each term says how the database finds it:
 *  - word: full-text prefix match on the 'simple' tsvector ("invo" finds "invoice");
 *  - cjk2: a 2-character CJK term is an exact token among the stored CJK bigrams (index hit);
 *  - cjk3: 3+ CJK characters: pg_trgm substring (ILIKE '%…%' on a trigram index);
 *  - cjk1: one CJK character has no bigram or trigram: ILIKE over a bounded set of the newest messages.
 */
import { labelKey } from '../store/labels.ts';

export type TermKind = 'word' | 'cjk1' | 'cjk2' | 'cjk3';

export interface SearchTerm {
  text: string;
  kind: TermKind;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const CJK_RUN =
  /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/gu;

export const MAX_TERMS = 8;

export function isCjk(text: string): boolean {
  return CJK.test(text);
}

export function parseQuery(q: string): SearchTerm[] {
  const out: SearchTerm[] = [];
  const seen = new Set<string>();
  for (const chunk of q
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s,，、;；]+/)) {
    for (const raw of chunk.match(CJK_RUN) ?? []) {
      // Punctuation at the edges is not part of a word; inside (a.b@c.d, o'brien) it is.
      const text = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (!text || seen.has(text)) continue;
      seen.add(text);
      const n = [...text].length;
      out.push({ text, kind: isCjk(text) ? (n >= 3 ? 'cjk3' : n === 2 ? 'cjk2' : 'cjk1') : 'word' });
      if (out.length === MAX_TERMS) return out;
    }
  }
  return out;
}

/** `label:Customers`, `label:"Big Deals"` (or “…”), with an ASCII or full-width colon. */
const LABEL_TERM = /(^|[\s,，、;；])label[:：](?:"([^"]*)"|“([^”]*)”|([^\s,，、;；]+))/giu;

/**
 * Takes the `label:` terms out of a query: the rest is searched as words, the labels (as search keys,
 * see labelKey) filter the mail. As in Gmail, `label:big-deals` finds the label "Big Deals".
 */
export function extractLabels(q: string): { rest: string; labels: string[] } {
  const labels = new Set<string>();
  const rest = q.replace(LABEL_TERM, (_all, before: string, quoted?: string, curly?: string, bare?: string) => {
    const key = labelKey(quoted ?? curly ?? bare ?? '');
    if (key && labels.size < MAX_TERMS) labels.add(key);
    return `${before} `;
  });
  return { rest, labels: [...labels] };
}

/** A tsquery operand for one term: quoted (so no operator in the input is ever parsed), optionally a prefix, with weights. */
export function tsOperand(text: string, opts: { prefix: boolean; weights: string }): string {
  const quoted = `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const mods = `${opts.prefix ? '*' : ''}${opts.weights}`;
  return mods ? `${quoted}:${mods}` : quoted;
}

/** LIKE pattern that matches the term anywhere, with LIKE's wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
