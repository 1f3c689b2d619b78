import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** WCAG 2.0 and 2.1, levels A and AA: what the browser tests hold every page they visit to. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** The first few offending elements: CSS path and what axe found (e.g. the contrast ratio and colours). */
  nodes: string[];
}

/**
 * Runs axe-core in the page (through the DevTools protocol, so the app's Content-Security-Policy does not
 * block it) and returns the WCAG 2 A/AA violations inside `within` (a CSS selector; the whole page by default).
 */
export async function axeViolations(page: Page, within?: string): Promise<AxeViolation[]> {
  // A dialog fading in is measured mid-blend (its text against a half-drawn overlay): let transitions end.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 })
    .catch(() => undefined);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(
    async ({ selector, tags }) => {
      const engine = (window as unknown as { axe: typeof axe }).axe;
      const context = selector ? { include: [selector] } : document;
      const result = await engine.run(context as never, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? n.failureSummary ?? ''}`),
      }));
    },
    { selector: within ?? null, tags: WCAG_TAGS },
  );
}
