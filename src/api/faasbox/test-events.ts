// A function's saved test events (the console's Test tab): GET /api/functions/{FunctionName}/test-events,
// PUT and DELETE .../test-events/{Name}. Stored by the account's FunctionRegistry, sealed at rest
// (docs/TEST-EVENTS.md).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { SealFailure } from '../../crypto/envelope';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { invalidParameter, validationError } from '../../errors';
import { TEST_EVENT_MAX_BYTES, TEST_EVENT_NAME_MAX_CHARS } from '../../limits';
import type { ListedTestEvent } from '../../records/test-event';
import { deleteTestEvent, listTestEvents, putTestEvent } from '../../services/test-events';
import { parseRequest } from '../lambda/function-config';
import { unqualifiedFunctionName } from './query-params';

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

const PutTestEventRequest = z.object({
  Event: z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'Member must not be null' : 'Member must be a string of JSON text') }),
});

export const testEventRoutes = new Hono<AppContext>();

testEventRoutes.get('/api/functions/:name/test-events', async (c) => {
  const events = await listTestEvents(c.env, c.get('caller'), functionNameParam(c));
  return c.json({ TestEvents: events.map(renderTestEvent) });
});

testEventRoutes.put('/api/functions/:name/test-events/:eventName', async (c) => {
  const functionName = functionNameParam(c);
  const name = eventNameParam(c);
  const { Event: event } = parseRequest(PutTestEventRequest, jsonBody(c));
  checkEventText(event);
  return c.json(renderTestEvent(await putTestEvent(c.env, c.get('caller'), functionName, name, event)));
});

testEventRoutes.delete('/api/functions/:name/test-events/:eventName', async (c) => {
  await deleteTestEvent(c.env, c.get('caller'), functionNameParam(c), eventNameParam(c));
  return c.body(null, 204);
});

function functionNameParam(c: Context<AppContext>): string {
  return unqualifiedFunctionName(c, c.req.param('name')!);
}

/** The Lambda console's rule: 1-25 letters, digits, dots, hyphens and underscores. */
function eventNameParam(c: Context<AppContext>): string {
  const name = c.req.param('eventName')!;
  if (name.length > TEST_EVENT_NAME_MAX_CHARS) throw validationError(name, 'Name', `Member must have length less than or equal to ${TEST_EVENT_NAME_MAX_CHARS}`);
  if (!NAME_PATTERN.test(name)) throw validationError(name, 'Name', 'Member must satisfy regular expression pattern: [A-Za-z0-9._-]+');
  return name;
}

/** The event must be JSON text (what Invoke would accept as a payload) of at most TEST_EVENT_MAX_BYTES. */
function checkEventText(event: string): void {
  const bytes = new TextEncoder().encode(event).byteLength;
  if (bytes > TEST_EVENT_MAX_BYTES) {
    throw invalidParameter(`The test event is ${bytes} bytes, over the limit of ${TEST_EVENT_MAX_BYTES} bytes (256 KiB).`);
  }
  try {
    JSON.parse(event);
  } catch (error) {
    throw invalidParameter(`The test event is not valid JSON: ${(error as Error).message}`);
  }
}

const UNREADABLE_REASONS: Record<SealFailure, string> = {
  'no-key': 'faasbox has no encryption key configured',
  'other-key': 'it was encrypted under another faasbox encryption key',
  corrupt: "it does not decrypt under faasbox's encryption key",
};

/** One item; an event that cannot be decrypted has an Error in place of its Event, as Lambda shows a variables KMS failure. */
function renderTestEvent(item: ListedTestEvent) {
  if ('unreadable' in item) {
    const message = `faasbox was unable to decrypt this test event: ${UNREADABLE_REASONS[item.unreadable]}.`;
    return { Name: item.name, LastModified: item.lastModified, Error: { ErrorCode: 'AccessDeniedException', Message: message } };
  }
  return { Name: item.name, Event: item.event, LastModified: item.lastModified };
}
