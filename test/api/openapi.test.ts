import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../support/app.ts';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * An operation is described when one of its 2xx answers has a body schema, or when it answers 204 (no
 * body) or a redirect, documented as such.
 */
function describesSuccess(operation: Operation): boolean {
  return Object.entries(operation.responses ?? {}).some(([status, response]) => {
    if (status === '204' || /^3\d\d$/.test(status)) return true;
    return /^2(\d\d|XX)$/.test(status) && Object.values(response.content ?? {}).some((media) => media.schema !== undefined);
  });
}

describe('the OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('describes a successful answer of every operation', async () => {
    const res = await new Client(t.app).get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = res.data.paths as Record<string, Record<string, Operation>>;
    const undescribed: string[] = [];
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!describesSuccess(operation)) undescribed.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(Object.keys(paths).length).toBeGreaterThan(10);
    expect(undescribed.sort()).toEqual([]);
  });
});
