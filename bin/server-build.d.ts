export const root: string;
export const serverDist: string;
export function buildServer(outdir: string, entries: Record<string, string>): Promise<void>;
export function ensureServerBuild(): Promise<string>;
