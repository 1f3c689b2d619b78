export function newestMtime(target: string): number;
export function buildOnce(lock: string, isStale: () => boolean, build: () => Promise<void>, staleLockMs?: number): Promise<void>;
