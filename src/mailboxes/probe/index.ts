export { probeImap } from './imap-probe.ts';
export { probeSmtp } from './smtp-probe.ts';
export { GENERIC_FIXES, PROVIDER_FIXES } from './fixes.ts';
export type {
  LocalText,
  ProbeCertificate,
  ProbeFailure,
  ProbeFailureCode,
  ProbeReport,
  ProbeSecurity,
  ProbeTarget,
  SmtpProbeTarget,
  StageName,
  StageResult,
} from './types.ts';
