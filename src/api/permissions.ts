// A function's resource policy: AddPermission, RemovePermission, GetPolicy. The policy decides
// who may call the function's URL (src/function-urls/authorize.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app';
import { jsonBody } from '../app';
import { LambdaError, preconditionFailed, resourceConflict } from '../errors';
import { functionArn } from '../function-names';
import { buildStatement, policyDocument } from '../auth/resource-policy';
import { functionRegistry } from '../bindings';
import { parseRequest } from './function-config';
import { findQualifiedFunction } from './qualified-function';

export const permissionRoutes = new Hono<AppContext>();

const PATH = '/2015-03-31/functions/:name/policy';

const pattern = (regex: string) =>
  z.string().regex(new RegExp(`^(${regex})$`), { error: `Member must satisfy regular expression pattern: ${regex}` });
const AddPermissionRequest = z.object({
  StatementId: pattern('[a-zA-Z0-9-_.]+').max(100, { error: 'Member must have length less than or equal to 100' }),
  Action: pattern('lambda:[*]|lambda:[a-zA-Z]+|[*]'),
  Principal: pattern('[^\\s]+'),
  SourceArn: z.string().optional(),
  SourceAccount: pattern('\\d{12}').optional(),
  EventSourceToken: z.string().max(256).optional(),
  PrincipalOrgID: z.string().optional(),
  RevisionId: z.string().optional(),
  FunctionUrlAuthType: z.enum(['NONE', 'AWS_IAM'], { error: 'Member must satisfy enum value set: [NONE, AWS_IAM]' }).optional(),
  InvokedViaFunctionUrl: z.boolean().optional(),
});

const noPolicy = () => new LambdaError(404, 'ResourceNotFoundException', 'The resource you requested does not exist.', { messageField: 'Message' });
const stalePolicy = () =>
  preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id');

permissionRoutes.post(PATH, async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(AddPermissionRequest, jsonBody(c));
  const { record, qualifier } = await findQualifiedFunction(c, 'policy');
  const statement = buildStatement(request, functionArn(caller, record.name, qualifier || undefined));
  const result = await functionRegistry(c.env, caller.accountId).addPermission(record.name, qualifier, statement, request.RevisionId);
  if (!result.ok) {
    if (result.error === 'conflict') throw resourceConflict('The statement id (sid) provided already exists. Please choose a unique statement id (sid) value.');
    if (result.error === 'precondition') throw stalePolicy();
    throw noPolicy();
  }
  return c.json({ Statement: JSON.stringify(statement) }, 201);
});

permissionRoutes.delete(`${PATH}/:sid`, async (c) => {
  const sid = c.req.param('sid');
  const { record, qualifier } = await findQualifiedFunction(c, 'policy');
  const result = await functionRegistry(c.env, c.get('caller').accountId).removePermission(record.name, qualifier, sid, c.req.query('RevisionId'));
  if (!result.ok) {
    if (result.error === 'precondition') throw stalePolicy();
    throw new LambdaError(404, 'ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, { messageField: 'Message' });
  }
  return c.body(null, 204);
});

permissionRoutes.get(PATH, async (c) => {
  const { record, qualifier } = await findQualifiedFunction(c, 'policy');
  const policy = await functionRegistry(c.env, c.get('caller').accountId).getPolicy(record.name, qualifier);
  if (!policy) throw noPolicy();
  return c.json({ Policy: policyDocument(policy), RevisionId: policy.revisionId });
});
