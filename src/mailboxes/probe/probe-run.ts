import { explainFailure } from './explain.ts';
import { tokenForms } from './oauth-sasl.ts';
import { ProbeError } from './probe-error.ts';
import { Transcript } from './transcript.ts';
import type { ProbeReport, ProbeTarget, StageName, StageResult } from './types.ts';
import { WireClosed, WireTimeout } from './wire.ts';

export const DEFAULT_STAGE_TIMEOUT_MS = 10_000;

/** Shortest secret the final redaction pass looks for: shorter strings would blank out ordinary words. */
const MIN_REDACTED_LENGTH = 4;

function secretForms(target: ProbeTarget): string[] {
  const { username, secret } = target;
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  const forms = [secret, b64(secret), b64(`\0${username}\0${secret}`), b64(`${username}\0${username}\0${secret}`)];
  if (target.accessToken) forms.push(...tokenForms(username, target.accessToken, target.host, target.port));
  // Longest first: a base64 payload is replaced whole before a shorter form could cut it apart.
  return forms.filter((form) => form.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
}

function redact<T>(value: T, forms: string[]): T {
  if (typeof value === 'string') {
    return forms.reduce((text, form) => text.split(form).join('***'), value as string) as T;
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, forms)) as T;
  if (value && typeof value === 'object') {
    // The server's certificate is kept byte-exact: it is what the user may pin.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'certificate' ? item : redact(item, forms)])) as T;
  }
  return value;
}

/** Turns whatever a stage threw into a classified ProbeError. */
function asProbeError(err: unknown, stage: StageName, timeoutMs: number): ProbeError {
  if (err instanceof ProbeError) {
    err.stage ??= stage;
    return err;
  }
  if (err instanceof WireTimeout) {
    return new ProbeError('protocol_error', { cause: err, params: { why: `no answer within ${timeoutMs / 1000} s` } }, stage);
  }
  if (err instanceof WireClosed) {
    return new ProbeError('protocol_error', { cause: err, params: { why: err.why } }, stage);
  }
  return new ProbeError('protocol_error', { cause: err, params: { why: (err as Error)?.message ?? String(err) } }, stage);
}

/** One probe: times each stage, keeps the transcript and builds the report. */
export class ProbeRun {
  readonly stages: StageResult[] = [];
  readonly transcript = new Transcript();
  readonly timeoutMs: number;
  private readonly started = Date.now();

  constructor(
    readonly protocol: 'imap' | 'smtp' | 'graph',
    readonly target: ProbeTarget,
  ) {
    this.timeoutMs = target.timeoutMs ?? DEFAULT_STAGE_TIMEOUT_MS;
  }

  /** Runs one stage; `fn` fills `detail`. A failure is recorded on the stage and rethrown as a ProbeError. */
  async stage<T>(name: StageName, fn: (detail: Record<string, unknown>) => Promise<T>): Promise<T> {
    const started = Date.now();
    const detail: Record<string, unknown> = {};
    try {
      const result = await fn(detail);
      this.record(name, true, started, detail);
      return result;
    } catch (err) {
      const probeError = asProbeError(err, name, this.timeoutMs);
      this.record(probeError.stage ?? name, false, started, { ...detail, ...probeError.info.detail });
      throw probeError;
    }
  }

  /** A stage that failed without running (plaintext refused before connecting). */
  refuse(name: StageName, error: ProbeError, detail: Record<string, unknown>): never {
    error.stage = name;
    this.record(name, false, Date.now(), detail);
    throw error;
  }

  report(error: unknown): ProbeReport {
    const { target } = this;
    const failure =
      error === undefined
        ? null
        : explainFailure(asProbeError(error, 'connect', this.timeoutMs), {
            protocol: this.protocol,
            host: target.host,
            port: target.port,
            providerId: target.providerId,
            timeoutMs: this.timeoutMs,
          });
    const report: ProbeReport = {
      protocol: this.protocol,
      ok: failure === null,
      host: target.host,
      port: target.port,
      security: target.security,
      stages: this.stages,
      failure,
      transcript: this.transcript.toArray(),
      totalMs: Date.now() - this.started,
    };
    // The commands already show "***"; this pass also catches a server that echoes a credential.
    return redact(report, secretForms(target));
  }

  private record(stage: StageName, ok: boolean, started: number, detail: Record<string, unknown>): void {
    const result: StageResult = { stage, ok, ms: Date.now() - started };
    if (Object.keys(detail).length > 0) result.detail = detail;
    this.stages.push(result);
  }
}
