import { NODE_ENV, NODE_FLAGS } from '../../bin/node-flags.js';

/** Whether this process runs on glibc, the only C library that reads GLIBC_TUNABLES. */
function onGlibc(): boolean {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return Boolean(header?.glibcVersionRuntime);
}

/**
 * The start-up settings of bin/node-flags.js this process lacks, each as `NAME=value` or the flag. A
 * server started by hand or by a service manager without them still works, with more memory while mail
 * imports (docs/performance.md), so the server says so at start rather than refusing to run.
 */
export function missingStartSettings(execArgv: readonly string[] = process.execArgv, env: NodeJS.ProcessEnv = process.env, glibc = onGlibc()): string[] {
  const missing = NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
  if (glibc) for (const [name, value] of Object.entries(NODE_ENV)) if (env[name] !== value) missing.push(`${name}=${value}`);
  return missing;
}
