// V8 flags for the Tidings process, given on its command line (a running process cannot change them):
// in `npm start`, in bin/tidings.js's first line, and by bench/sync.ts to its import process.
// test/cli/build.test.ts checks the three agree.
//
// --max-semi-space-size=4: V8 otherwise grows the young generation to 16 MB per half in the main thread.
// Beside the main thread's small old generation that makes it start full collections early and often.
// 4 MB matches what the parse workers get (src/ingest/pool.ts). Two alternating pairs of bench:sync runs
// on PostgreSQL: peak RSS 219/222 MB against 245/246, CPU 10.4/11.0 s against 12.5/11.6.
export const NODE_FLAGS = ['--max-semi-space-size=4'];
