// faasbox's own signed API under /api: the caller's identity, accounts and keys (admin), the live log
// tail, metrics, billing, functions' saved test events and their own egress rules. restJson1 in Lambda's error shape.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { adminRoutes } from './admin';
import { billingRoutes } from './billing';
import { callerRoutes } from './caller';
import { functionEgressRoutes } from './function-egress';
import { functionShareRoutes } from './function-shares';
import { logTailRoutes } from './log-tail';
import { metricsRoutes } from './metrics';
import { testEventRoutes } from './test-events';
import { guardRoutes } from '../../protocols/operation-access';
import { accessDenied } from '../../errors';
import { FAASBOX_ROUTE_ACCESS } from './access';

/** Path prefixes of faasbox's own signed API. */
export const FAASBOX_PREFIXES = ['/api/caller', '/api/admin', '/api/logs', '/api/metrics', '/api/billing', '/api/functions', '/api/sandbox'];

/** faasbox's own API is signed as Lambda's (README: `curl --aws-sigv4 "aws:amz:<region>:lambda"`). */
export const FAASBOX_SIGNING_NAME = 'lambda';

export const faasboxApi = new Hono<AppContext>();
// IAM first: faasbox:<Operation> of every route (./access.ts), refused as Lambda's 403
// AccessDeniedException; the playground's GET /api/sandbox routes, mounted after these, included.
guardRoutes(faasboxApi, FAASBOX_ROUTE_ACCESS, accessDenied);
for (const routes of [callerRoutes, adminRoutes, logTailRoutes, metricsRoutes, billingRoutes, testEventRoutes, functionEgressRoutes]) faasboxApi.route('/', routes);
// Export and share of a function (docs/PLAYGROUND.md, "Share and fork").
faasboxApi.route('/', functionShareRoutes);
