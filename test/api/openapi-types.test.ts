import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, generateApiTypes } from '../../scripts/api-types.ts';

describe("the web app's generated API types", () => {
  it("match the server's OpenAPI document (run npm run api:types when this fails)", async () => {
    const fresh = await generateApiTypes();
    for (const [name, text] of Object.entries(fresh)) {
      const checkedIn = await fs.readFile(path.join(GENERATED_DIR, name), 'utf8').catch(() => '');
      expect(checkedIn === text, `web/src/api/generated/${name} is stale: run npm run api:types`).toBe(true);
    }
  });
});
