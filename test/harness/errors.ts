/** Error raised by the test harness; `code` is stable so tests can assert on it. */
export class HarnessError extends Error {
  readonly code: string;
  /** A failed command's exit code, when it exited with one. */
  readonly exitCode?: number;

  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
    if (options?.exitCode !== undefined) this.exitCode = options.exitCode;
  }
}
