// GetAccountSettings: the account's limits and usage.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../../protocols/request-context';
import { concurrencyLimiter, functionRegistry } from '../../bindings';
import { UNZIPPED_MAX_BYTES, ZIP_MAX_BYTES } from '../../limits';

export const accountSettingsRoutes = new Hono<AppContext>();

/** Lambda's default total code storage per account (75 GB). */
const TOTAL_CODE_SIZE_BYTES = 80_530_636_800;
const getAccountSettings = async (c: Context<AppContext>) => {
  const accountId = c.get('caller').accountId;
  const [usage, concurrency] = await Promise.all([
    functionRegistry(c.env, accountId).usage(),
    concurrencyLimiter(c.env, accountId).snapshot(),
  ]);
  return c.json({
    AccountLimit: {
      TotalCodeSize: TOTAL_CODE_SIZE_BYTES,
      CodeSizeUnzipped: UNZIPPED_MAX_BYTES,
      CodeSizeZipped: ZIP_MAX_BYTES,
      ConcurrentExecutions: concurrency.accountLimit,
      UnreservedConcurrentExecutions: concurrency.unreservedLimit,
    },
    // Lambda reports code usage; faasbox adds the executions running now (clients ignore extra fields).
    AccountUsage: {
      TotalCodeSize: usage.totalCodeSize,
      FunctionCount: usage.functionCount,
      ConcurrentExecutions: concurrency.concurrentExecutions,
      UnreservedConcurrentExecutions: concurrency.unreservedConcurrentExecutions,
    },
  });
};
accountSettingsRoutes.get('/2016-08-19/account-settings', getAccountSettings);
accountSettingsRoutes.get('/2016-08-19/account-settings/', getAccountSettings);
