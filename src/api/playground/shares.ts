// The public read of a share (docs/PLAYGROUND-SHARES.md): GET /api/playground/shares/{token}, unsigned,
// answers the snapshot as stored; 404 for a token that names none or an expired one.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { readShare } from '../../services/function-shares';

export const playgroundShareRoutes = new Hono<AppContext>();

playgroundShareRoutes.get('/api/playground/shares/:token', async (c) => {
  const snapshot = await readShare(c.env, c.req.param('token'));
  return new Response(snapshot, {
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-robots-tag': 'noindex',
    },
  });
});
