import { z } from 'zod';
import type { PipelineStage } from '../tables.ts';

export const stageSchema = z.object({
  id: z.string(),
  /** Per language; a stage an admin named in one language lacks the other (show whichever exists). */
  name: z.object({ en: z.string().optional(), 'zh-CN': z.string().optional() }),
  position: z.number(),
  kind: z.enum(['open', 'won', 'lost']),
});

export type StageView = z.infer<typeof stageSchema>;

export function presentStage(row: PipelineStage): StageView {
  return { id: row.id, name: row.name, position: row.position, kind: row.kind };
}
