import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules over the parts of the page that `include` selects (CSS
 * selectors). Injected through page.evaluate, which the app's Content-Security-Policy does not apply to
 * (an injected <script> it would refuse). Returns the violations, none when the parts are accessible.
 */
export async function axeViolations(page: Page, include: string[]): Promise<AxeViolation[]> {
  source ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  return page.evaluate(async (selectors) => {
    const axe = (window as any).axe;
    const result = await axe.run(
      { include: selectors.map((s) => [s]) },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    );
    return result.violations.map((v: { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, include);
}
