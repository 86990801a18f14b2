// The STS API on POST / (Query protocol, `Version=2011-06-15`, signed for `sts`): GetCallerIdentity
// (which key is this?) and AssumeRole (temporary credentials of a role that trusts the caller,
// src/services/iam/assume-role.ts).
import type { Context } from 'hono';
import type { AppContext } from '../protocols/request-context';
import type { AuthenticatedCaller } from '../auth/authenticate';
import { memberListCodec, type AwsQueryService } from '../protocols/aws-query';
import type { JsonInput, JsonOutput } from '../protocols/aws-json';
import { STS_ACCESS } from './iam-access';
import { IamQueryError, iamValidation } from '../iam/query-errors';
import { assumeRole } from '../services/iam/assume-role';

export const STS_SIGNING_NAME = 'sts';
const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

interface OperationContext {
  caller: AuthenticatedCaller;
  env: Env;
}

const OPERATIONS: Record<string, (ctx: OperationContext, input: JsonInput) => Promise<JsonOutput>> = {
  async GetCallerIdentity(ctx) {
    const principal = ctx.caller.principal;
    const userId = principal.kind === 'root' ? principal.accountId : principal.kind === 'user' ? principal.userId : `${principal.roleId}:${principal.sessionName}`;
    return { UserId: userId, Account: principal.accountId, Arn: principal.arn };
  },

  async AssumeRole(ctx, input) {
    const roleArn = required(input, 'RoleArn');
    checkLength(roleArn, 'roleArn', 20, 2048);
    const sessionName = required(input, 'RoleSessionName');
    checkLength(sessionName, 'roleSessionName', 2, 64);
    if (!/^[\w+=,.@-]*$/.test(sessionName)) throw iamValidation(sessionName, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    const text = typeof input.DurationSeconds === 'string' ? input.DurationSeconds : undefined;
    if (text !== undefined && !/^\d+$/.test(text)) throw iamValidation(text, 'durationSeconds', 'Member must have value greater than or equal to 900');
    const session = await assumeRole(ctx.env, ctx.caller, roleArn, sessionName, text === undefined ? undefined : Number(text));
    return {
      Credentials: {
        AccessKeyId: session.credentials.accessKeyId,
        SecretAccessKey: session.credentials.secretAccessKey,
        SessionToken: session.credentials.sessionToken,
        Expiration: new Date(session.credentials.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
      PackedPolicySize: undefined,
    };
  },
};

function required(input: JsonInput, name: string): string {
  const value = input[name];
  if (typeof value !== 'string') throw iamValidation(undefined, name[0]!.toLowerCase() + name.slice(1), 'Member must not be null');
  return value;
}

/** STS's ValidationError for a member outside [min, max] characters, naming the bound it broke. */
function checkLength(value: string, member: string, min: number, max: number): void {
  if (value.length < min) throw iamValidation(value, member, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw iamValidation(value, member, `Member must have length less than or equal to ${max}`);
}

function operationContext(c: Context<AppContext>): OperationContext {
  return { caller: c.get('caller'), env: c.env };
}

/** STS on the Query protocol. */
export const stsQueryService: AwsQueryService<OperationContext> = {
  version: '2011-06-15',
  signingName: STS_SIGNING_NAME,
  xmlns: STS_XMLNS,
  errorStyle: { xmlns: STS_XMLNS, detail: false },
  codec: memberListCodec({ maps: [], timestamps: [] }),
  operations: OPERATIONS,
  access: STS_ACCESS,
  unknownOperation: (action) => new IamQueryError('InvalidAction', `Could not find operation ${action || '(none)'} for version 2011-06-15`),
  throttled: () => new IamQueryError('Throttling', 'Rate exceeded'),
  context: operationContext,
};
