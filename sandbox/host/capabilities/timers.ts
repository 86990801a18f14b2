// Real waiting for the host's event loop driver: the guest's timers live in the guest
// (guest/timers.guest.js); the host sleeps until the earliest timer, fetch or deadline. Owns the
// one host timer of each wait, cleared when the wait ends.

/** Resolves at `wakeAtMs` (epoch ms) or when `interrupt` settles, whichever comes first. */
export function waitUntil(wakeAtMs: number, interrupt: Promise<void>): Promise<void> {
  const delayMs = Math.max(0, wakeAtMs - Date.now());
  let handle: ReturnType<typeof setTimeout> | null = null;
  const sleep = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, delayMs);
  });
  return Promise.race([sleep, interrupt]).finally(() => {
    if (handle !== null) clearTimeout(handle);
  });
}

/** Lets the host's own event loop run once (in production this is also when clocks advance). */
export function yieldToHost(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
