// Code signing, read side: faasbox verifies no signatures, so no function has a code signing
// config and none can be made. The reads answer as Lambda does for an unsigned function; the
// writes are refused (CreateCodeSigningConfig) or find no config (PutFunctionCodeSigningConfig).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { invalidParameter, LambdaError, validationError } from '../../errors';
import { findQualifiedFunction } from './qualified-function';
import { parseRequest } from './function-config';
import { parseMaxItems } from './versions';

export const codeSigningRoutes = new Hono<AppContext>();

const CSC_ARN_PATTERN = 'arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:code-signing-config:csc-[a-z0-9]{17}';
const CscArn = z.string({ error: 'Member must not be null' })
  .max(200, { error: 'Member must have length less than or equal to 200' })
  .regex(new RegExp(`^(?:${CSC_ARN_PATTERN})$`), { error: `Member must satisfy regular expression pattern: ${CSC_ARN_PATTERN}` });
const PutFunctionCodeSigningConfigRequest = z.object({ CodeSigningConfigArn: CscArn });

const FUNCTION_PATH = '/2020-06-30/functions/:name/code-signing-config';
const CONFIGS_PATH = '/2020-04-22/code-signing-configs';

/** The `:arn` path parameter, checked against Lambda's pattern. */
function cscArnParam(c: Context<AppContext>): string {
  const arn = c.req.param('arn') ?? '';
  if (!CscArn.safeParse(arn).success) throw validationError(arn, 'codeSigningConfigArn', `Member must satisfy regular expression pattern: ${CSC_ARN_PATTERN}`);
  return arn;
}

const configNotFound = (arn: string) =>
  new LambdaError(404, 'ResourceNotFoundException', `The Lambda code signing configuration ${arn} can not be found.`, { messageField: 'Message' });

// An unsigned function: Lambda answers 200 with neither member.
codeSigningRoutes.get(FUNCTION_PATH, async (c) => {
  await findQualifiedFunction(c, 'none');
  return c.json({});
});

// No config exists in faasbox, so the one named is not found (Lambda checks it before the function).
codeSigningRoutes.put(FUNCTION_PATH, async (c) => {
  const request = parseRequest(PutFunctionCodeSigningConfigRequest, jsonBody(c));
  throw new LambdaError(404, 'CodeSigningConfigNotFoundException', `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${request.CodeSigningConfigArn}.`, { messageField: 'Message' });
});

// Nothing to remove from an unsigned function: 204, as Lambda answers.
codeSigningRoutes.delete(FUNCTION_PATH, async (c) => {
  await findQualifiedFunction(c, 'none');
  return c.body(null, 204);
});

const listConfigs = (c: Context<AppContext>) => {
  parseMaxItems(c.req.query('MaxItems'));
  return c.json({ CodeSigningConfigs: [] });
};
codeSigningRoutes.get(CONFIGS_PATH, listConfigs);
codeSigningRoutes.get(`${CONFIGS_PATH}/`, listConfigs);

const refuseCreate = () => {
  throw invalidParameter('faasbox does not verify code signatures: code signing configurations are not supported here.');
};
codeSigningRoutes.post(CONFIGS_PATH, refuseCreate);
codeSigningRoutes.post(`${CONFIGS_PATH}/`, refuseCreate);

for (const method of ['get', 'put', 'delete'] as const) {
  codeSigningRoutes[method](`${CONFIGS_PATH}/:arn`, (c) => {
    throw configNotFound(cscArnParam(c));
  });
}
codeSigningRoutes.get(`${CONFIGS_PATH}/:arn/functions`, (c) => {
  throw configNotFound(cscArnParam(c));
});
