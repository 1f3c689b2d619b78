import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
let source: string | null = null;

/** The rules our brief asks every page to pass: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe's best-practice rules about a page's structure (landmarks, the heading outline, table headers),
 * which its WCAG tags leave out. Not `region`: it also flags menus, which live in a portal outside every
 * landmark by design.
 */
export const STRUCTURE_RULES = [
  'landmark-one-main',
  'landmark-no-duplicate-banner',
  'landmark-unique',
  'page-has-heading-one',
  'heading-order',
  'empty-table-header',
];

export interface AxeOptions {
  /** Rules to run besides the WCAG ones (STRUCTURE_RULES, say). */
  alsoRules?: string[];
}

export interface AxeNode {
  /** The element, as axe's CSS selector path. */
  target: string;
  /** The start of its HTML, enough to find it in the code. */
  html: string;
  /** axe's own explanation: which check failed, with the numbers (contrast ratio, colours, sizes). */
  summary: string;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
  nodes: AxeNode[];
}

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules over the parts of the page that `include` selects (CSS
 * selectors), or over the whole document when `include` is empty. Injected through page.evaluate, which
 * the app's Content-Security-Policy does not apply to (an injected <script> it would refuse). Returns the
 * violations, none when the page (or the parts) are accessible.
 */
export async function axeViolations(page: Page, include: string[] = [], options: AxeOptions = {}): Promise<AxeViolation[]> {
  // A dialog fading in is measured mid-blend (its text against a half-drawn overlay): let transitions end.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 })
    .catch(() => undefined);
  source ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  const violations = await page.evaluate(
    async ({ selectors, tags, alsoRules }) => {
      const axe = (window as any).axe;
      const context = selectors.length ? { include: selectors.map((s) => [s]) } : document;
      // Only violations are read: axe then skips the details of passes and incomplete results (faster).
      // A rule named in `rules` runs whatever its tags (axe's ruleShouldRun reads `rules` before runOnly).
      const rules = Object.fromEntries(alsoRules.map((id) => [id, { enabled: true }]));
      const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
      return result.violations.map(
        (v: {
          id: string;
          impact: string | null;
          help: string;
          nodes: Array<{ target: string[]; html: string; failureSummary?: string }>;
        }) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary ?? '' })),
        }),
      );
    },
    { selectors: include, tags: WCAG_TAGS, alsoRules: options.alsoRules ?? [] },
  );
  return violations.map((v: Omit<AxeViolation, 'targets'>) => ({ ...v, targets: v.nodes.map((n) => n.target) }));
}

/** Violations as a person reads them: rule, impact and help, then each element with axe's explanation. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => {
        const summary = n.summary.replace(/\s*\n\s*/g, ' / ');
        return `    - ${n.target}\n      ${n.html.slice(0, 200)}\n      ${summary}`;
      });
      return `  ${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.length} element(s)\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/**
 * The violations on the page (or in `include`) as readable text naming `where` (the page or dialog
 * checked), or '' when there are none: `expect.soft(await axeReport(page, 'the inbox')).toBe('')` lists
 * every broken rule of every screen a test visits, not only the first.
 */
export async function axeReport(page: Page, where: string, include: string[] = [], options: AxeOptions = {}): Promise<string> {
  const violations = await axeViolations(page, include, options);
  if (!violations.length) return '';
  return `axe-core found ${violations.length} violated rule(s) on ${where}:\n${formatViolations(violations)}`;
}

/** No WCAG 2 A/AA violation inside `within` (the open dialog, the page's main area); soft, so a run reports every screen. */
export async function expectAccessible(page: Page, what: string, within = 'main'): Promise<void> {
  expect.soft(await axeReport(page, what, [within])).toBe('');
}
