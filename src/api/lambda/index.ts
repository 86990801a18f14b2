// The Lambda API (restJson1, paths under /2015-03-31 ... /2021-10-31): one router per resource.
import { Hono } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { accountSettingsRoutes } from './account-settings';
import { aliasRoutes } from './aliases';
import { codeDownloadRoutes } from './code-download';
import { codeSigningRoutes } from './code-signing';
import { concurrencyRoutes } from './concurrency';
import { eventInvokeConfigRoutes } from './event-invoke-config';
import { eventSourceMappingRoutes } from './event-source-mappings';
import { functionUrlRoutes } from './function-urls';
import { functionRoutes } from './functions';
import { invocationRoutes } from './invocations';
import { permissionRoutes } from './permissions';
import { tagRoutes } from './tags';
import { runtimeSettingsRoutes } from './runtime-settings';
import { versionRoutes } from './versions';
import { guardRoutes } from '../../protocols/operation-access';
import { accessDenied } from '../../errors';
import { LAMBDA_ROUTE_ACCESS } from './access';

/** Path prefixes of the Lambda API, one per date version of its operations. */
export const LAMBDA_PREFIXES = [
  '/2015-03-31', '/2016-08-19', '/2017-03-31', '/2017-10-31', '/2019-09-25', '/2019-09-30', '/2021-10-31',
  // code signing (configs, a function's), runtime management, recursion
  '/2020-04-22', '/2020-06-30', '/2021-07-20', '/2024-08-31',
];

/** The SigV4 service Lambda's requests are signed for. */
export const LAMBDA_SIGNING_NAME = 'lambda';

export const lambdaApi = new Hono<AppContext>();
// IAM first: every route's action and resource (./access.ts), refused as Lambda's 403 AccessDeniedException.
guardRoutes(lambdaApi, LAMBDA_ROUTE_ACCESS, accessDenied);
for (const routes of [
  functionRoutes, invocationRoutes, accountSettingsRoutes, codeDownloadRoutes, concurrencyRoutes, eventInvokeConfigRoutes,
  versionRoutes, aliasRoutes, functionUrlRoutes, permissionRoutes, eventSourceMappingRoutes,
  tagRoutes,
  codeSigningRoutes, runtimeSettingsRoutes,
]) lambdaApi.route('/', routes);
