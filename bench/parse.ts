/**
 * Parse throughput: N generated messages in-thread vs through the worker pool.
 * Usage: npx tsx bench/parse.ts [N=2000] [poolSize=os.availableParallelism()]
 * Prints figures only; the pool figure includes worker start-up.
 */
import os from 'node:os';
import { createIngestPool, parseMessage } from '../src/ingest/index.ts';
import { sampleMessage } from '../src/ingest/test-messages.ts';

const n = Number(process.argv[2] ?? 2000);
const size = Number(process.argv[3] ?? os.availableParallelism());
// Mostly small mail, every 20th with a 300 KB attachment: roughly a business inbox.
const messages = Array.from({ length: n }, (_, i) => sampleMessage(i, { attachmentBytes: i % 20 === 0 ? 300_000 : 0 }));
const totalBytes = messages.reduce((s, m) => s + m.length, 0);
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

function report(label: string, ms: number): void {
  const mb = totalBytes / 1024 / 1024;
  console.log(
    `${label.padEnd(22)} ${n} msgs ${mb.toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s: ` +
      `${(n / (ms / 1000)).toFixed(0)} msg/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s, peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`,
  );
}

let t = performance.now();
for (const m of messages) await parseMessage(m);
report('in-thread', performance.now() - t);

const pool = createIngestPool({ size });
t = performance.now();
// A sync engine hands over a fetch batch at a time; 200 in flight keeps every worker busy.
const batch = 200;
for (let i = 0; i < n; i += batch) await Promise.all(messages.slice(i, i + batch).map((m) => pool.parse(m)));
report(`pool (${size} workers)`, performance.now() - t);
await pool.close();
clearInterval(sampler);
