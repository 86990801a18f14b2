// Live tail: GET /api/logs/tail?logGroupName=<a function's group>[&filterPattern=...] answers with a
// server-sent event stream of the group's new events, straight from the account's LogStore
// (one `event: log` per line, `id:` the event id). A reconnect with Last-Event-ID (EventSource
// sends it by itself) first replays what it missed, so a dropped connection loses nothing.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { LambdaError, validationError } from '../../errors';
import { parseFilterPattern } from '../../logs/filter-pattern';
import { functionRegistry, logStore } from '../../bindings';
import { functionLogGroup } from '../../logs/logging-config';

const FUNCTION_GROUP = /^\/aws\/lambda\/([A-Za-z0-9_-]{1,64})$/;

export const logTailRoutes = new Hono<AppContext>();

logTailRoutes.get('/api/logs/tail', async (c) => {
  const { accountId } = c.get('caller');
  const logGroupName = c.req.query('logGroupName') ?? '';
  if (!logGroupName) throw validationError(logGroupName, 'logGroupName', 'Member must not be null');
  const terms = parseFilterPattern(c.req.query('filterPattern') ?? '');
  if ('error' in terms) throw new LambdaError(400, 'InvalidParameterException', terms.error);
  const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  if (lastEventId !== undefined && !/^\d+$/.test(lastEventId)) throw new LambdaError(400, 'InvalidParameterException', 'Last-Event-ID must be an event id.');

  const store = logStore(c.env, accountId);
  // A function that has not run yet has no group: tailing it waits for its first line.
  const functionName = FUNCTION_GROUP.exec(logGroupName)?.[1];
  const exists = (await store.hasGroup(logGroupName))
    || (functionName !== undefined && (await functionRegistry(c.env, accountId).get(functionName)) !== undefined)
    || (await someFunctionLogsTo(c.env, accountId, logGroupName));
  if (!exists) throw new LambdaError(404, 'ResourceNotFoundException', 'The specified log group does not exist.');

  const stream = await store.openLiveTail(logGroupName, terms, lastEventId === undefined ? undefined : Number(lastEventId));
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
  });
});

/** Whether a function of the account names `logGroupName` as its LoggingConfig.LogGroup (its custom group, before its first line). */
async function someFunctionLogsTo(env: Env, accountId: string, logGroupName: string): Promise<boolean> {
  const registry = functionRegistry(env, accountId);
  let marker: string | undefined;
  do {
    const page = await registry.list(marker, 50);
    if (page.functions.some((f) => functionLogGroup(f) === logGroupName)) return true;
    marker = page.nextMarker;
  } while (marker);
  return false;
}
