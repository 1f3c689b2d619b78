import { useQuery, useQueryClient } from '@tanstack/react-query';
import { crmApi } from './api.ts';
import type { Stage } from './types.ts';

const STAGES_KEY = ['pipeline-stages'] as const;
const NO_STAGES: Stage[] = [];

/** The pipeline's stages in order; `reload` after an admin edits them. */
export function useStages() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: STAGES_KEY, queryFn: async () => (await crmApi.stages()).items });
  return {
    stages: query.data ?? NO_STAGES,
    error: query.error,
    reload: () => client.invalidateQueries({ queryKey: STAGES_KEY }),
    setStages: (stages: Stage[]) => client.setQueryData(STAGES_KEY, stages),
  };
}
