import { spawn } from 'node:child_process';
import { HarnessError } from './errors.ts';

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

/**
 * Runs a program without a shell and resolves with its stdout; a non-zero exit, a timeout or a spawn
 * failure rejects with a HarnessError carrying stderr (the harness never passes secrets on argv).
 */
export function runCommand(file: string, args: string[], options: RunOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | null, stdout?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(stdout ?? '');
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new HarnessError('COMMAND_TIMEOUT', `${file} ${args[0] ?? ''} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {
      // The program may exit before reading all input; its exit code tells what happened.
    });
    child.on('error', (cause) => finish(new HarnessError('COMMAND_SPAWN_FAILED', `cannot run ${file}`, { cause })));
    child.on('close', (code, signal) => {
      if (code === 0) {
        finish(null, Buffer.concat(out).toString('utf8'));
        return;
      }
      const stderr = Buffer.concat(err).toString('utf8').trim();
      finish(
        new HarnessError(
          'COMMAND_FAILED',
          `${file} ${args.slice(0, 2).join(' ')} exited with ${code ?? signal}: ${stderr}`,
          code === null ? undefined : { exitCode: code },
        ),
      );
    });
    child.stdin.end(options.input ?? '');
  });
}
