// Saved test events of a function (the console's Test tab, docs/TEST-EVENTS.md): list, save and
// delete them in the account's FunctionRegistry, which seals them at rest. Inputs are already
// validated (the routes parse them); failures are thrown as Lambda's errors.
import { functionRegistry } from '../bindings';
import { functionNotFound, invalidParameter, LambdaError } from '../errors';
import { functionArn, type Caller } from '../function-names';
import { TEST_EVENTS_PER_FUNCTION_MAX } from '../limits';
import type { ListedTestEvent, TestEvent } from '../records/test-event';

/** The function's test events in name order; ResourceNotFoundException when there is no function. */
export async function listTestEvents(env: Env, caller: Caller, functionName: string): Promise<ListedTestEvent[]> {
  const result = await functionRegistry(env, caller.accountId).listTestEvents(functionName);
  if (!result.ok) throw functionNotFound(functionArn(caller, functionName));
  return result.value;
}

/** Creates or replaces the test event `name`; at most TEST_EVENTS_PER_FUNCTION_MAX per function. */
export async function putTestEvent(env: Env, caller: Caller, functionName: string, name: string, event: string): Promise<TestEvent> {
  const result = await functionRegistry(env, caller.accountId).putTestEvent(functionName, name, event);
  if (result.ok) return result.value;
  switch (result.error) {
    case 'not-found':
      throw functionNotFound(functionArn(caller, functionName));
    case 'limit':
      throw new LambdaError(400, 'LimitExceededException',
        `A function can have at most ${TEST_EVENTS_PER_FUNCTION_MAX} saved test events: delete one before saving ${name}.`);
    case 'unsealable':
      throw invalidParameter('faasbox was unable to save the test event because it has no encryption key configured (FAASBOX_ENCRYPTION_KEY), and it never stores test events in clear.');
  }
}

/** Removes the test event `name`; ResourceNotFoundException when there is no such function or event. */
export async function deleteTestEvent(env: Env, caller: Caller, functionName: string, name: string): Promise<void> {
  const result = await functionRegistry(env, caller.accountId).deleteTestEvent(functionName, name);
  if (result.ok) return;
  const arn = functionArn(caller, functionName);
  throw result.error === 'not-found'
    ? functionNotFound(arn)
    : new LambdaError(404, 'ResourceNotFoundException', `Test event not found: ${name} of ${arn}`, { messageField: 'Message' });
}
