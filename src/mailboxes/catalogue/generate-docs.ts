import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { providers } from './index.ts';
import { renderCompatibilityDoc } from './render-docs.ts';

/** Where the committed document lives, relative to this file. */
export const compatibilityDocPath = fileURLToPath(new URL('../../../docs/compatibility.md', import.meta.url));

// Run as a script (`npm run docs:compat`), not when a test imports the path.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(compatibilityDocPath, renderCompatibilityDoc(providers));
  console.log(`wrote ${compatibilityDocPath}`);
}
