// A function's resource policy: AddPermission, RemovePermission, GetPolicy. The policy decides
// who may call the function's URL (src/function-urls/authorize.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../protocols/request-context';
import { jsonBody } from '../../protocols/rest-json';
import { aliasNotFound, functionNotFound, invalidParameter, preconditionFailed, RESOURCE_DOES_NOT_EXIST, resourceConflict, resourceNotFound, validationError } from '../../errors';
import { functionArn } from '../../function-names';
import { buildStatement, policyDocument } from '../../auth/resource-policy';
import { functionRegistry } from '../../bindings';
import { parseRequest } from './function-config';
import { findQualifiedFunction, type MissingFunctionAnswer } from './qualified-function';

export const permissionRoutes = new Hono<AppContext>();

const PATH = '/2015-03-31/functions/:name/policy';

const pattern = (regex: string) =>
  z.string().regex(new RegExp(`^(${regex})$`), { error: `Member must satisfy regular expression pattern: ${regex}` });
const AddPermissionRequest = z.object({
  // AddPermission's StatementId has no dots (RemovePermission's NamespacedStatementId may).
  StatementId: pattern('[a-zA-Z0-9-_]+').max(100, { error: 'Member must have length less than or equal to 100' }),
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

/** RemovePermission's StatementId (NamespacedStatementId). */
const REMOVED_STATEMENT_ID_PATTERN = '([a-zA-Z0-9-_.]+)';

const noPolicy = () => resourceNotFound(RESOURCE_DOES_NOT_EXIST);

/** AddPermission's and RemovePermission's answers for a missing function, version or alias (GetPolicy's: noPolicy). */
const missingForAdd: MissingFunctionAnswer = (arn, missing) => (missing === 'alias' ? aliasNotFound(arn) : functionNotFound(arn));
const missingForRemove: MissingFunctionAnswer = (arn, missing) => (missing === 'function' ? resourceNotFound(`No policy found for: ${arn}`) : missingForAdd(arn, missing));
const stalePolicy = () =>
  preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id');

permissionRoutes.post(PATH, async (c) => {
  const caller = c.get('caller');
  const request = parseRequest(AddPermissionRequest, jsonBody(c));
  const { record, qualifier } = await findQualifiedFunction(c, 'policy', missingForAdd);
  if (qualifier === '$LATEST') throw invalidParameter('We currently do not support adding policies for $LATEST.');
  const statement = buildStatement(request, functionArn(caller, record.name, qualifier || undefined));
  const result = await functionRegistry(c.env, caller.accountId).addPermission(record.name, qualifier, statement, request.RevisionId);
  if (!result.ok) {
    if (result.error === 'conflict') throw resourceConflict(`The statement id (${request.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
    if (result.error === 'precondition') throw stalePolicy();
    throw noPolicy();
  }
  return c.json({ Statement: JSON.stringify(statement) }, 201);
});

permissionRoutes.delete(`${PATH}/:sid`, async (c) => {
  const sid = c.req.param('sid');
  if (sid.length > 100 || !new RegExp(`^(${REMOVED_STATEMENT_ID_PATTERN})$`).test(sid)) {
    throw validationError(sid, 'statementId', `Member must satisfy regular expression pattern: ${REMOVED_STATEMENT_ID_PATTERN}`);
  }
  const { record, qualifier } = await findQualifiedFunction(c, 'policy', missingForRemove);
  const registry = functionRegistry(c.env, c.get('caller').accountId);
  const result = await registry.removePermission(record.name, qualifier, sid, c.req.query('RevisionId'));
  if (!result.ok) {
    if (result.error === 'precondition') throw stalePolicy();
    // AWS tells a function (or qualifier) with no policy at all from a policy without the statement.
    if (!(await registry.getPolicy(record.name, qualifier))) throw resourceNotFound('No policy is associated with the given resource.');
    throw resourceNotFound(`Statement ${sid} is not found in resource policy.`);
  }
  return c.body(null, 204);
});

permissionRoutes.get(PATH, async (c) => {
  const { record, qualifier } = await findQualifiedFunction(c, 'policy', noPolicy);
  const policy = await functionRegistry(c.env, c.get('caller').accountId).getPolicy(record.name, qualifier);
  if (!policy) throw noPolicy();
  return c.json({ Policy: policyDocument(policy), RevisionId: policy.revisionId });
});
