/**
 * Parse throughput: N generated messages through the worker pool, then in-thread.
 * Usage: npx tsx bench/parse.ts [N=2000] [poolSize=os.availableParallelism()]
 * Prints figures only. The pool runs first so its peak RSS is not inflated by the in-thread run.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createIngestPool, parseMessage } from '../src/ingest/index.ts';
import { sampleMessage } from '../test/support/corpus.ts';

const n = Number(process.argv[2] ?? 2000);
const size = Number(process.argv[3] ?? os.availableParallelism());
// Mostly small mail, every 20th with a 300 KB attachment: roughly a business inbox.
const messages = Array.from({ length: n }, (_, i) => sampleMessage(i, { attachmentBytes: i % 20 === 0 ? 300_000 : 0 }));
const totalMb = messages.reduce((s, m) => s + m.length, 0) / 1024 / 1024;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
console.log(`${n} messages, ${totalMb.toFixed(1)} MB, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`);

// Main-thread event-loop utilisation: what is left for IMAP and the API while parsing goes on.
function report(label: string, ms: number, elu: number): void {
  const s = ms / 1000;
  console.log(
    `${label.padEnd(24)} ${s.toFixed(2)} s  ${(n / s).toFixed(0)} msg/s  ${(totalMb / s).toFixed(1)} MB/s  ` +
      `peak RSS ${mb(peakRss)}  main-thread busy ${(elu * 100).toFixed(0)}%`,
  );
}

const pool = createIngestPool({ size });
let t = performance.now();
await pool.parse(messages[0]);
console.log(`pool start-up            ${((performance.now() - t) / 1000).toFixed(2)} s (first worker ready and first message parsed)`);
t = performance.now();
let elu = performance.eventLoopUtilization();
// A sync engine hands over a fetch batch at a time; 200 in flight keeps every worker busy.
const batch = 200;
for (let i = 0; i < n; i += batch) await Promise.all(messages.slice(i, i + batch).map((m) => pool.parse(m)));
report(`pool (${size} workers)`, performance.now() - t, performance.eventLoopUtilization(elu).utilization);
await pool.close();

peakRss = process.memoryUsage().rss;
t = performance.now();
elu = performance.eventLoopUtilization();
for (const m of messages) await parseMessage(m);
report('in-thread', performance.now() - t, performance.eventLoopUtilization(elu).utilization);
clearInterval(sampler);
