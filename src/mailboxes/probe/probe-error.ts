import { DomainError } from '../../kernel/index.ts';
import type { ProbeCertificate, ProbeFailureCode, StageName } from './types.ts';

export interface ProbeErrorInfo {
  /** The server's reply that decided the failure, quoted in the message. */
  reply?: string;
  /** Added to the failed stage's detail. */
  detail?: Record<string, unknown>;
  certificate?: ProbeCertificate;
  /** Values for the message template (see messages.ts). */
  params?: Record<string, string | number>;
  cause?: unknown;
}

/** A classified failure of one stage; the probe turns it into the report's `failure`. */
export class ProbeError extends DomainError<ProbeFailureCode> {
  readonly info: ProbeErrorInfo;
  /** Set by the stage runner when the error leaves a stage. */
  stage: StageName | undefined;

  constructor(code: ProbeFailureCode, info: ProbeErrorInfo = {}, stage?: StageName) {
    super(code, `probe failed: ${code}`, { cause: info.cause });
    this.info = info;
    this.stage = stage;
  }
}
