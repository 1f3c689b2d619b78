import { useState } from 'react';

/**
 * A request the user started (a button, a form): whether it is in flight, for the button's spinner, and
 * its failure, for the alert next to it. `run` keeps the failure rather than throwing it.
 */
export function useRequest() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}
