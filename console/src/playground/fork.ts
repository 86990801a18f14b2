// Fork of a share: a new sandbox (the proof of work and POST /api/playground/sandboxes, as Try it
// now), then, with its keys, the shared function recreated from the snapshot (its text files
// zipped here, its configuration, its variables by name with empty values) and its test events
// saved; resolves to the new function's Test tab.
import { createSandbox, getChallenge } from '../aws/playground';
import { base64Of, zipBundle } from '../aws/code';
import { restJson } from '../aws/client';
import { defaultRoleArn } from '../aws/create';
import type { ShareSnapshot } from '../aws/shares';
import { saveTestEvent } from '../aws/test-events';
import { rememberSandboxCredentials } from '../session';
import { proofPayload } from './pow';
import { sandboxEnd } from './state';

export type ForkPhase = { step: 'challenge' } | { step: 'proof'; attempts: number } | { step: 'sandbox' } | { step: 'function' } | { step: 'test-events' };

export async function forkShare(snapshot: ShareSnapshot, onPhase: (phase: ForkPhase) => void): Promise<string> {
  onPhase({ step: 'challenge' });
  const { Challenge } = await getChallenge();
  onPhase({ step: 'proof', attempts: 0 });
  // On the main thread (altcha yields as it goes): pow.ts's worker path is never handed its
  // challenge on this branch, so proveWork waits forever; use it again once that is fixed.
  const { solveProofOfWork } = await import('./pow-solve');
  const solution = await solveProofOfWork(Challenge, (attempts) => onPhase({ step: 'proof', attempts }));
  if (!solution) throw new Error('The proof of work took too long.');
  const proof = proofPayload(Challenge, solution);
  onPhase({ step: 'sandbox' });
  const session = await createSandbox(proof);
  sandboxEnd.value = undefined;
  rememberSandboxCredentials({ accessKeyId: session.AccessKey.AccessKeyId, secretAccessKey: session.AccessKey.SecretAccessKey, accountId: session.Sandbox.AccountId });

  onPhase({ step: 'function' });
  const fn = snapshot.Function;
  const zip = zipBundle(snapshot.Code.Files.map((f) => ({ path: f.Path, text: f.Content })));
  const names = fn.EnvironmentVariableNames;
  await restJson('POST', '/2015-03-31/functions', {
    FunctionName: fn.FunctionName,
    Runtime: fn.Runtime,
    Handler: fn.Handler,
    Role: defaultRoleArn(session.Sandbox.AccountId),
    Description: fn.Description,
    MemorySize: fn.MemorySize,
    Timeout: fn.Timeout,
    TracingConfig: fn.TracingConfig,
    // The share names its variables but never carries their values: the fork's are empty, to fill in.
    ...(names.length > 0 ? { Environment: { Variables: Object.fromEntries(names.map((name) => [name, ''])) } } : {}),
    Code: { ZipFile: base64Of(zip) },
  });
  onPhase({ step: 'test-events' });
  for (const event of snapshot.TestEvents) await saveTestEvent(fn.FunctionName, event.Name, event.Event);
  return `/console/functions/${encodeURIComponent(fn.FunctionName)}/test`;
}
