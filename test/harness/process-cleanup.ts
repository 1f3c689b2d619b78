// A crashed or forgotten test must not leave servers running or temp dirs behind: every resource
// registers a synchronous cleanup that runs when the Node process exits.
const cleanups = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Exit path: nothing useful can be done with a failure here.
    }
  }
  cleanups.clear();
}

/** Registers `cleanup` to run synchronously at process exit; returns a function that unregisters it. */
export function onProcessExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runAll);
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
