import { CrmError } from '../errors.ts';
import type { DealStatus, PipelineStage } from '../tables.ts';

export interface StageMove {
  status: DealStatus;
  lostReason: string | null;
  closedAt: Date | null;
}

/**
 * A deal's status follows its stage's kind. Entering won or lost stamps `closedAt` (kept when moving
 * between closed stages of the same kind); lost needs a reason; reopening clears both.
 */
export function applyStage(
  stage: PipelineStage,
  current: { status: DealStatus; lostReason: string | null; closedAt: Date | null } | null,
  lostReason: string | null | undefined,
  now = new Date(),
): StageMove {
  if (stage.kind === 'open') return { status: 'open', lostReason: null, closedAt: null };
  const reason = stage.kind === 'lost' ? (lostReason ?? (current?.status === 'lost' ? current.lostReason : null)) : null;
  if (stage.kind === 'lost' && !reason?.trim()) {
    throw new CrmError('lost_reason_required', 'Say why the deal was lost (lostReason).');
  }
  const closedAt = current && current.status === stage.kind && current.closedAt ? current.closedAt : now;
  return { status: stage.kind, lostReason: reason?.trim() ?? null, closedAt };
}
