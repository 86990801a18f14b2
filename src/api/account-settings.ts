// GetAccountSettings: the account's limits and usage.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../app';
import { functionRegistry } from './functions';
import { UNZIPPED_MAX_BYTES, ZIP_MAX_BYTES } from '../limits';

export const accountSettingsRoutes = new Hono<AppContext>();

/** Lambda's default total code storage per account (75 GB). */
const TOTAL_CODE_SIZE_BYTES = 80_530_636_800;
/** Account concurrency until per-account limits land (the concurrency work). */
const ACCOUNT_CONCURRENCY = 1000;

const getAccountSettings = async (c: Context<AppContext>) => {
  const usage = await functionRegistry(c.env, c.get('caller').accountId).usage();
  return c.json({
    AccountLimit: {
      TotalCodeSize: TOTAL_CODE_SIZE_BYTES,
      CodeSizeUnzipped: UNZIPPED_MAX_BYTES,
      CodeSizeZipped: ZIP_MAX_BYTES,
      ConcurrentExecutions: ACCOUNT_CONCURRENCY,
      UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY,
    },
    AccountUsage: { TotalCodeSize: usage.totalCodeSize, FunctionCount: usage.functionCount },
  });
};
accountSettingsRoutes.get('/2016-08-19/account-settings', getAccountSettings);
accountSettingsRoutes.get('/2016-08-19/account-settings/', getAccountSettings);
