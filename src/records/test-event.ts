// A function's saved test events (the console's Test tab, docs/TEST-EVENTS.md): what the
// FunctionRegistry answers, the event text already opened from its sealed form.
import type { SealFailure } from '../crypto/envelope';

/** One saved test event: its name, its JSON text in clear and when it was last saved (ISO 8601). */
export interface TestEvent {
  name: string;
  event: string;
  lastModified: string;
}

/** A listed test event: its text, or why the stored text could not be opened (fails closed). */
export type ListedTestEvent = TestEvent | { name: string; lastModified: string; unreadable: SealFailure };
