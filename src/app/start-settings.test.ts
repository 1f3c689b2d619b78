import { describe, expect, it } from 'vitest';
import { NODE_ENV, NODE_FLAGS } from '../../bin/node-flags.js';
import { missingStartSettings } from './start-settings.ts';

const env = { ...NODE_ENV };

describe('missingStartSettings', () => {
  it('finds nothing missing when started as npm start starts the server', () => {
    expect(missingStartSettings([...NODE_FLAGS, '--enable-source-maps'], env, () => true)).toEqual([]);
  });

  it('names each V8 flag and environment setting that is absent or different', () => {
    const [name, value] = Object.entries(NODE_ENV)[0]!;
    expect(missingStartSettings([], {}, () => true)).toEqual([...NODE_FLAGS, `${name}=${value}`]);
    expect(missingStartSettings(NODE_FLAGS, { [name]: 'glibc.malloc.arena_max=8' }, () => true)).toEqual([`${name}=${value}`]);
  });

  it('does not ask for glibc settings where the C library is not glibc', () => {
    expect(missingStartSettings(NODE_FLAGS, {}, () => false)).toEqual([]);
  });
});
