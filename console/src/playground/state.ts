// What the page knows of its playground sandbox beyond the keys: whether it has ended (its keys
// were refused as unknown, or the session was gone), and a count of the invocations the page made,
// so the sandbox header refreshes its usage after each one instead of polling fast.
import { signal } from '@preact/signals';

/** Why the page knows the sandbox is gone; undefined while it lives (or there is none). */
export const sandboxEnd = signal<'expired' | 'ended-by-you' | undefined>(undefined);

/** Increments after every invocation the page made with a sandbox's keys. */
export const sandboxInvocations = signal(0);
