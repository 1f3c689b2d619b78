// How the Tidings process is started: V8 flags and the C library's malloc settings, given where it
// starts because a running process cannot change either: in `npm start`, in bin/tidings.js's first
// line, and by bench/sync.ts to its import process.
// test/cli/build.test.ts checks the three agree.
//
// --max-semi-space-size=4: V8 otherwise grows the young generation to 16 MB per half in the main thread.
// Beside the main thread's small old generation that makes it start full collections early and often.
// 4 MB matches what the parse workers get (src/ingest/pool.ts). Two alternating pairs of bench:sync runs
// on PostgreSQL: peak RSS 219/222 MB against 245/246, CPU 10.4/11.0 s against 12.5/11.6.
export const NODE_FLAGS = ['--max-semi-space-size=4'];

// GLIBC_TUNABLES=glibc.malloc.arena_max=1 (read by glibc's malloc at start; other C libraries ignore it):
// glibc gives each thread that allocates an arena of its own, up to 8 per core, and an arena keeps its
// high-water mark. Tidings has many such threads (V8's helpers, libuv's pool, the parse workers, the
// embedded database's worker): during the bench's PGlite import five arenas held 15–29 MB each and the main
// one grew 87 MB. Two arenas: PGlite peak RSS 294–324 MB in seven runs against 376–409 MB in five. One
// arena: 260–272 MB in four runs against 287–297 MB with two, in alternating runs, for about 3% more
// import time on PGlite (none told apart from the noise on PostgreSQL). A fixed mmap_threshold on top of
// two arenas measured no better. Figures in docs/performance.md.
export const NODE_ENV = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' };
