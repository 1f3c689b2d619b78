export { probeImap } from './imap-probe.ts';
export { probeSmtp } from './smtp-probe.ts';
export { probeGraph } from './graph-probe.ts';
export type { GraphProbeTarget } from './graph-probe.ts';
export { probeEws } from './ews-probe.ts';
export type { EwsProbeTarget } from './ews-probe.ts';
export { GENERIC_FIXES, PROVIDER_FIXES } from './fixes.ts';
export { tokenFailureReport, withTokenStage } from './token-stage.ts';
export type { TokenFailure, TokenStageTarget } from './token-stage.ts';
export type {
  LocalText,
  OAuthFailureCode,
  OAuthServerFailureCode,
  OAuthTokenFailureCode,
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
export { explainCode, isFailureCode, type FailureCode, type FailureExplanation, type SyncOnlyFailureCode } from './sync-explanations.ts';
export { classifyReply } from './classify.ts';
