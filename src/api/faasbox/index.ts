// faasbox's own signed API under /api: accounts and keys (admin), the live log tail, metrics and
// billing. restJson1 in Lambda's error shape.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { adminRoutes } from './admin';
import { billingRoutes } from './billing';
import { logTailRoutes } from './log-tail';
import { metricsRoutes } from './metrics';

/** Path prefixes of faasbox's own signed API. */
export const FAASBOX_PREFIXES = ['/api/admin', '/api/logs', '/api/metrics', '/api/billing'];

export const faasboxApi = new Hono<AppContext>();
for (const routes of [adminRoutes, logTailRoutes, metricsRoutes, billingRoutes]) faasboxApi.route('/', routes);
