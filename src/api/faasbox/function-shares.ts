// Export and share of a function (docs/PLAYGROUND-SHARES.md), signed like the rest of /api/functions:
// GET /api/functions/{FunctionName}/export (a zip) and POST /api/functions/{FunctionName}/shares
// (a public snapshot; its link is read at GET /api/playground/shares/{token}).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { exportFunction } from '../../services/function-export';
import { createShare } from '../../services/function-shares';
import { getLatestFunction } from '../../services/functions';
import { parseRequest, renderConfiguration } from '../lambda/function-config';
import { unqualifiedFunctionName } from './query-params';

const CreateShareRequest = z.object({
  TestEvents: z.array(z.string({ error: 'Member must be a list of test event names' })).optional(),
  Invocations: z.array(z.string({ error: 'Member must be a list of request ids' }).min(1).max(64)).optional(),
});

export const functionShareRoutes = new Hono<AppContext>();

functionShareRoutes.get('/api/functions/:name/export', async (c) => {
  const caller = c.get('caller');
  const record = await getLatestFunction(c.env, caller, functionNameParam(c));
  const zip = await exportFunction(c.env, caller, record, await renderConfiguration(c.env, record, caller));
  return new Response(zip, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${record.name}.zip"`,
      // It holds the variables' values: never kept by a cache.
      'cache-control': 'no-store',
    },
  });
});

functionShareRoutes.post('/api/functions/:name/shares', async (c) => {
  const caller = c.get('caller');
  // An empty body shares the code and configuration alone.
  const request = parseRequest(CreateShareRequest, jsonBody(c));
  const record = await getLatestFunction(c.env, caller, functionNameParam(c));
  const share = await createShare(c.env, caller, record, { testEvents: request.TestEvents ?? [], invocations: request.Invocations ?? [] });
  return c.json({ Token: share.token, Path: `/s/${share.token}`, ExpiresAt: share.expiresAt }, 201);
});

function functionNameParam(c: Context<AppContext>): string {
  return unqualifiedFunctionName(c, c.req.param('name')!);
}
