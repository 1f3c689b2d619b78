// How the Tidings process is started: V8 flags and the C library's malloc settings, given where it
// starts because a running process cannot change either: in `npm start`, in bin/tidings.js's first
// line, and by bench/sync.ts to its import process.
// test/cli/build.test.ts checks the three agree.
//
// --max-semi-space-size=4: V8 otherwise grows the young generation to 16 MB per half in the main thread.
// Beside the main thread's small old generation that makes it start full collections early and often.
// 4 MB matches what the parse workers get (src/ingest/pool.ts); less memory and CPU (docs/performance.md).
export const NODE_FLAGS = ['--max-semi-space-size=4'];

// GLIBC_TUNABLES=glibc.malloc.arena_max=1 (read by glibc's malloc at start; other C libraries ignore it):
// glibc gives each thread that allocates an arena of its own, up to 8 per core, and an arena keeps its
// high-water mark. Tidings has many such threads (V8's helpers, libuv's pool, the parse workers, the
// embedded database's worker), so one arena keeps the embedded database's import peak well lower for a
// few percent of import time (figures in docs/performance.md).
export const NODE_ENV = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' };
