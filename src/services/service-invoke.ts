// Whether an AWS service may invoke a function on behalf of one of its resources (SNS for a topic,
// S3 for a bucket): the function's resource policy must let the service principal
// lambda:InvokeFunction, with aws:SourceArn and aws:SourceAccount as the service sends them.
import { functionRegistry } from '../bindings';
import { resourcePolicyOf } from '../auth/resource-policy';
import { evaluate } from '../iam/evaluate';
import type { FunctionRecord } from '../records/function';
import { resolveFunction } from './resolve-function';

/** A function ARN's parts: `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
export interface FunctionAddress {
  region: string;
  accountId: string;
  name: string;
  qualifier?: string;
}

/** The parts of a function ARN, or undefined when `arn` is none. */
export function parseFunctionArn(arn: string): FunctionAddress | undefined {
  const match = /^arn:aws:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9$_-]{1,128}))?$/.exec(arn);
  return match ? { region: match[1], accountId: match[2], name: match[3], ...(match[4] !== undefined && { qualifier: match[4] }) } : undefined;
}

/** What a service finds when it is about to invoke a function. */
export type ServiceInvocation =
  | { status: 'allowed'; address: FunctionAddress; record: FunctionRecord }
  /** No such function (or version or alias) in that account and region. */
  | { status: 'not-found' }
  /** It exists, but its resource policy does not let `service` invoke it for this source. */
  | { status: 'denied' };

/**
 * Resolves function `arn` (in `region` only) and decides whether `service` may invoke it for
 * the resource `source.arn` of account `source.accountId`.
 * @example await serviceMayInvoke(env, fnArn, 'us-east-1', 's3.amazonaws.com', { arn: 'arn:aws:s3:::photos', accountId })
 */
export async function serviceMayInvoke(
  env: Env, arn: string, region: string, service: string, source: { arn: string; accountId: string },
): Promise<ServiceInvocation> {
  const address = parseFunctionArn(arn);
  if (!address || address.region !== region) return { status: 'not-found' };
  const resolved = await resolveFunction(env, address.accountId, address.name, address.qualifier);
  if (!resolved) return { status: 'not-found' };
  const policy = resourcePolicyOf(await functionRegistry(env, address.accountId).getPolicy(address.name, address.qualifier ?? ''));
  const decision = evaluate({
    action: 'lambda:InvokeFunction',
    resource: arn,
    principal: { kind: 'service', service },
    resourceAccountId: address.accountId,
    context: { 'aws:SourceArn': source.arn, 'aws:SourceAccount': source.accountId },
  }, [], policy);
  return decision.decision === 'allowed' ? { status: 'allowed', address, record: resolved.record } : { status: 'denied' };
}
