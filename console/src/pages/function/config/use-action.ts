// One action of a configuration form: runs it, keeps the API's refusal for the ErrorBanner and
// a short success line, and reads the function again afterwards (props.reload) so every section
// and the page header show what the API now holds.
import { useState } from 'preact/hooks';

export interface Action {
  busy: boolean;
  error: unknown;
  done: string | undefined;
  /** Runs `work`; on success shows `message` (or the one made from its result) and calls `after` (the tab's reload and the section's own refresh). */
  run<T>(work: () => Promise<T>, message: string | ((result: T) => string)): Promise<boolean>;
  clear(): void;
}

export function useAction(after: () => Promise<void>): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  return {
    busy,
    error,
    done,
    async run(work, message) {
      setBusy(true);
      setError(undefined);
      setDone(undefined);
      try {
        const result = await work();
        setDone(typeof message === 'string' ? message : message(result));
        await after();
        return true;
      } catch (failure) {
        setError(failure);
        return false;
      } finally {
        setBusy(false);
      }
    },
    clear() {
      setError(undefined);
      setDone(undefined);
    },
  };
}
