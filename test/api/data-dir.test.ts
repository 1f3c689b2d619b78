import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startServer } from '../../src/app/server.ts';

const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'tidings-datadir-'));
afterAll(() => fs.rm(parent, { recursive: true, force: true }));

it('creates the data directory readable by its owner only (0700)', async () => {
  const dataDir = path.join(parent, 'new', 'data');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', TIDINGS_SYNC: 'off' });
  const server = await startServer(config, { log: createLogger('warn') });
  try {
    for (const dir of [dataDir, path.join(dataDir, 'pglite')]) expect(((await fs.stat(dir)).mode & 0o777).toString(8), dir).toBe('700');
  } finally {
    await server.stop();
  }
});
