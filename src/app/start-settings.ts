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
export function missingStartSettings(
  execArgv: readonly string[] = process.execArgv,
  env: NodeJS.ProcessEnv = process.env,
  glibc: () => boolean = onGlibc,
): string[] {
  const missing = NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
  const wrong = Object.entries(NODE_ENV).filter(([name, value]) => env[name] !== value);
  // A process report (for the C library's name) only when something is off: npm start never builds one.
  if (wrong.length && glibc()) missing.push(...wrong.map(([name, value]) => `${name}=${value}`));
  return missing;
}
