// The sandbox's life as the page sees it: a new one (challenge -> proof of work -> creation,
// signed in), "Try it now" (that, then hello-world from its blueprint with the blueprint's test
// event saved -> the path of its Test tab), resuming the sandbox after a reload through the
// HttpOnly cookie, and ending it.
import { signal } from '@preact/signals';
import { createSandbox, endSandbox, getChallenge, resumeSandbox, PlaygroundRefusal, type SandboxSession } from '../aws/playground';
import { creationSteps, defaultRoleArn, type CreationState } from '../aws/create';
import { saveTestEvent } from '../aws/test-events';
import { blueprintById, settingValues } from '../blueprints/catalog';
import { BLUEPRINT_TEST_EVENT_NAME } from '../pages/CreateFunction';
import { hadSandboxSession, region, rememberSandboxCredentials, signOut } from '../session';
import { proveWork } from './pow';
import { sandboxEnd } from './state';

/** Where "Try it now" is, for its progress line. */
export type TryItNowPhase = SandboxPhase | { step: 'function'; functionName: string };

/** The blueprint every new sandbox starts with. */
const STARTER_BLUEPRINT = 'hello-world';

/** True while the page asks for its sandbox's keys again after a reload. */
export const resumingSandbox = signal(false);

function adopt(session: SandboxSession): void {
  sandboxEnd.value = undefined;
  rememberSandboxCredentials({ accessKeyId: session.AccessKey.AccessKeyId, secretAccessKey: session.AccessKey.SecretAccessKey, accountId: session.Sandbox.AccountId });
}

/** The steps every new sandbox takes, whatever it is made for (Try it now, a fork of a share). */
export type SandboxPhase = { step: 'challenge' } | { step: 'proof'; attempts: number } | { step: 'sandbox' };

/**
 * A new sandbox, signed in: a challenge, the proof of work (in the solver's worker), creation.
 * Throws the API's refusal (PlaygroundRefusal: 400 proof, 429 a limit with Retry-After, 503 kill switch).
 */
export async function startSandbox(onPhase: (phase: SandboxPhase) => void): Promise<SandboxSession> {
  onPhase({ step: 'challenge' });
  const { Challenge } = await getChallenge();
  onPhase({ step: 'proof', attempts: 0 });
  const proof = await proveWork(Challenge, (attempts) => onPhase({ step: 'proof', attempts }));
  onPhase({ step: 'sandbox' });
  const session = await createSandbox(proof);
  adopt(session);
  return session;
}

/**
 * Creates a sandbox and its hello-world function; resolves to the path of the function's Test tab.
 * Throws startSandbox's refusals or, once the sandbox exists, the error of creating the function
 * (`SandboxCreatedButNot`).
 */
export async function tryItNow(onPhase: (phase: TryItNowPhase) => void): Promise<string> {
  const session = await startSandbox(onPhase);

  const blueprint = blueprintById(STARTER_BLUEPRINT)!;
  const functionName = blueprint.defaultFunctionName;
  onPhase({ step: 'function', functionName });
  const accountId = session.Sandbox.AccountId;
  const context = { functionName, accountId, region, settings: settingValues(blueprint, functionName, {}) };
  const state: CreationState = {};
  try {
    // The Create page's own steps for the blueprint (for hello-world: CreateFunction alone).
    for (const step of creationSteps({ functionName, role: defaultRoleArn(accountId), spec: blueprint.function(context), resources: blueprint.resources(context), accountId, region })) {
      await step.run(state);
    }
    await saveTestEvent(functionName, BLUEPRINT_TEST_EVENT_NAME, blueprint.testEvent({ ...context, functionUrl: state.functionUrl }));
  } catch (error) {
    throw new SandboxCreatedButNot(functionName, error);
  }
  return `/console/functions/${encodeURIComponent(functionName)}/test`;
}

/** The sandbox exists (and the page is signed in to it) but its starter function could not be made. */
export class SandboxCreatedButNot extends Error {
  constructor(readonly functionName: string, readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** After a reload: the keys of this tab's sandbox again, or the news that it has ended. */
export async function resumeAfterReload(): Promise<void> {
  if (!hadSandboxSession()) return;
  resumingSandbox.value = true;
  try {
    adopt(await resumeSandbox());
  } catch (error) {
    signOut();
    // 404: no live sandbox for the cookie (it expired or was ended); other failures say nothing of its end.
    if (error instanceof PlaygroundRefusal && error.status === 404) sandboxEnd.value = 'expired';
  } finally {
    resumingSandbox.value = false;
  }
}

/** Ends the sandbox now: everything of it is deleted, the keys are forgotten. */
export async function endSandboxNow(): Promise<void> {
  try {
    await endSandbox();
  } catch (error) {
    // Already gone is what was asked for.
    if (!(error instanceof PlaygroundRefusal && error.status === 404)) throw error;
  }
  signOut();
  sandboxEnd.value = 'ended-by-you';
}
