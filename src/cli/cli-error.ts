/** A failure the CLI reports in one line and exits non-zero for. */
export class CliError extends Error {
  readonly code = 'cli_error';
}
