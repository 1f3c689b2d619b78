import { DomainError } from '../kernel/index.ts';

/** A failure the CLI reports in one line and exits non-zero for. */
export class CliError extends DomainError<'cli_error'> {
  constructor(message: string) {
    super('cli_error', message);
  }
}
