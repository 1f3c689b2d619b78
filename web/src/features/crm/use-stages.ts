import { useCallback, useEffect, useState } from 'react';
import { crmApi } from './api.ts';
import type { Stage } from './types.ts';

/** The pipeline's stages in order; `reload` after an admin edits them. */
export function useStages() {
  const [stages, setStages] = useState<Stage[]>([]);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      setStages((await crmApi.stages()).items);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { stages, error, reload, setStages };
}
