// Create function, as Lambda's console has it: author from scratch (name, runtime, memory,
// timeout, execution role: a new one with the permissions the function needs, an existing one or an ARN; advanced: a function URL with its auth type and CORS) or start from a
// blueprint, which also creates the queues, schedule rule, URL, trigger, async settings, bucket or topic it
// needs. Creation runs as visible steps; if one fails the page says what exists and offers to
// remove it. A blueprint's default test event is then saved and its Test tab opened.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import '../styles/create.css';
import '../styles/roles.css';
import { BLUEPRINTS, blueprintById, settingValues } from '../blueprints/catalog';
import type { Blueprint, CorsSettings, FunctionSpec, Resource } from '../blueprints/types';
import {
  allFiles, corsProblem, creationSteps, defaultRoleArn, executionRolePolicies, functionProblems, MEMORY_MAX_MB, MEMORY_MIN_MB, RUNTIMES, runtimeLabel,
  TIMEOUT_MAX_SECONDS, TIMEOUT_MIN_SECONDS, zipFiles, type CreationPlan, type CreationState, type CreationStep,
} from '../aws/create';
import { ApiError } from '../aws/client';
import { listRoles, newRoleName, randomRoleSuffix, serviceRoleArn, SERVICE_ROLE_PATH, type RoleSummary } from '../aws/iam';
import { saveTestEvent } from '../aws/test-events';
import { CliHint } from '../components/CliHint';
import { ErrorBanner } from '../components/ErrorBanner';
import { credentials, region } from '../session';

/** The name the blueprint's event is saved under on the new function. */
export const BLUEPRINT_TEST_EVENT_NAME = 'blueprint-default';

const SCRATCH_FILES = {
  'index.mjs': `export const handler = async (event) => {
  // TODO implement
  const response = {
    statusCode: 200,
    body: JSON.stringify('Hello from faasbox!'),
  };
  return response;
};
`,
};
/** Author from scratch in Python: Lambda's own starter, lambda_function.lambda_handler. */
const SCRATCH_PYTHON_FILES = {
  'lambda_function.py': `import json


def lambda_handler(event, context):
    # TODO implement
    return {
        'statusCode': 200,
        'body': json.dumps('Hello from faasbox!')
    }
`,
};
const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'];

type Mode = 'scratch' | 'blueprint';
/** Lambda console's three ways to give a new function its execution role. */
type RoleMode = 'new' | 'existing' | 'arn';
type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'not attempted' | 'removed' | 'not removed';
interface StepProgress { step: CreationStep; status: StepStatus; detail?: string; error?: unknown }
interface Run {
  functionName: string;
  progress: StepProgress[];
  state: CreationState;
  finished: boolean;
  /** Why the default test event could not be saved (the function and resources exist). */
  testEventNotice?: { message: string; event: string };
}

const splitList = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

export function CreateFunction() {
  const { route } = useLocation();
  const accountId = credentials.value?.accountId ?? '000000000000';
  const [mode, setMode] = useState<Mode>('scratch');
  const [blueprintId, setBlueprintId] = useState(BLUEPRINTS[0].id);
  const [name, setName] = useState('');
  const [runtime, setRuntime] = useState('nodejs22.x');
  const [memory, setMemory] = useState('128');
  const [timeout, setTimeoutText] = useState('3');
  const [roleMode, setRoleMode] = useState<RoleMode>('new');
  const [roleSuffix, setRoleSuffix] = useState(randomRoleSuffix);
  const [existingRole, setExistingRole] = useState('');
  const [roles, setRoles] = useState<RoleSummary[]>();
  const [rolesError, setRolesError] = useState<unknown>();
  const [roleArnText, setRoleArnText] = useState(defaultRoleArn(accountId));
  const [description, setDescription] = useState('');
  const [editedSettings, setEditedSettings] = useState<Record<string, string>>({});
  const [urlEnabled, setUrlEnabled] = useState(false);
  const [authType, setAuthType] = useState<'AWS_IAM' | 'NONE'>('AWS_IAM');
  const [corsEnabled, setCorsEnabled] = useState(false);
  const [origins, setOrigins] = useState('*');
  const [methods, setMethods] = useState<string[]>(['GET', 'POST']);
  const [allowHeaders, setAllowHeaders] = useState('');
  const [exposeHeaders, setExposeHeaders] = useState('');
  const [maxAge, setMaxAge] = useState('0');
  const [allowCredentials, setAllowCredentials] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [run, setRun] = useState<Run>();

  const blueprint = mode === 'blueprint' ? blueprintById(blueprintId) : undefined;
  const functionName = name || (blueprint?.defaultFunctionName ?? '');

  /** Choosing a blueprint fills in its configuration, as Lambda's console does. */
  const chooseBlueprint = (next: Blueprint) => {
    setBlueprintId(next.id);
    const spec = next.function({ functionName: next.defaultFunctionName, accountId, region, settings: settingValues(next, next.defaultFunctionName, {}) });
    setRuntime(spec.runtime);
    setMemory(String(spec.memorySizeMb));
    setTimeoutText(String(spec.timeoutSeconds));
    setEditedSettings({});
  };
  const chooseMode = (next: Mode) => {
    setMode(next);
    if (next === 'blueprint') chooseBlueprint(blueprintById(blueprintId) ?? BLUEPRINTS[0]);
    else { setMemory('128'); setTimeoutText('3'); }
  };

  const cors: CorsSettings | undefined = corsEnabled ? {
    AllowOrigins: splitList(origins),
    AllowMethods: methods,
    ...(splitList(allowHeaders).length ? { AllowHeaders: splitList(allowHeaders) } : {}),
    ...(splitList(exposeHeaders).length ? { ExposeHeaders: splitList(exposeHeaders) } : {}),
    MaxAge: Number(maxAge),
    AllowCredentials: allowCredentials,
  } : undefined;

  const settings = blueprint ? settingValues(blueprint, functionName, editedSettings, roleSuffix) : {};
  const context = { functionName, accountId, region, settings };
  const spec: FunctionSpec = blueprint
    ? { ...blueprint.function(context), runtime, memorySizeMb: Number(memory), timeoutSeconds: Number(timeout), ...(description ? { description } : {}) }
    : runtime.startsWith('python')
      ? { runtime, handler: 'lambda_function.lambda_handler', memorySizeMb: Number(memory), timeoutSeconds: Number(timeout), description, files: SCRATCH_PYTHON_FILES }
      : { runtime, handler: 'index.handler', memorySizeMb: Number(memory), timeoutSeconds: Number(timeout), description, files: SCRATCH_FILES };
  const resources: Resource[] = blueprint
    ? blueprint.resources(context)
    : urlEnabled ? [{ kind: 'function-url', authType, ...(cors ? { cors } : {}) }] : [];
  // "Use an existing role" lists the account's roles once it is chosen.
  useEffect(() => {
    if (roleMode !== 'existing' || roles !== undefined) return;
    listRoles().then((found) => {
      setRoles(found);
      setExistingRole((current) => current || (found.find((r) => r.roleName === 'lambda-basic-execution') ?? found[0])?.arn || '');
    }, setRolesError);
  }, [roleMode, roles]);
  const createdRoleName = roleMode === 'new' ? newRoleName(functionName, roleSuffix) : undefined;
  const role = createdRoleName ? serviceRoleArn(accountId, createdRoleName) : roleMode === 'existing' ? existingRole : roleArnText;
  const plan: CreationPlan = { functionName, role, ...(createdRoleName ? { newRoleName: createdRoleName } : {}), spec, resources, accountId, region };
  const steps = creationSteps(plan);
  const rolePolicyNames = executionRolePolicies(plan).managed.map((arn) => arn.split('/').pop()!);
  const roleInline = executionRolePolicies(plan).inline;

  const problems: Record<string, string> = { ...functionProblems(functionName, { ...spec, role }) };
  if (roleMode === 'existing' && !existingRole) problems.role = roles?.length === 0 ? 'This account has no roles yet: create a new role instead.' : 'Choose a role.';
  for (const setting of blueprint?.settings ?? []) {
    const problem = setting.problem(settings[setting.key]);
    if (problem) problems[setting.key] = problem;
  }
  const playgroundRefusal = credentials.value?.playground ? blueprint?.notInPlayground : undefined;
  if (playgroundRefusal) problems.blueprint = playgroundRefusal;
  const corsIssue = !blueprint && urlEnabled && cors ? corsProblem(cors) : undefined;
  if (corsIssue) problems.cors = corsIssue;
  const shown = (key: string) => (submitted || (key === 'name' && name !== '') ? problems[key] : undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length > 0) {
      // After the render that marks the fields.
      setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"], #field-blueprint-problem')?.focus(), 0);
      return;
    }
    await execute(plan, steps, blueprint);
  };

  const execute = async (forPlan: CreationPlan, forSteps: CreationStep[], fromBlueprint: Blueprint | undefined) => {
    const current: Run = { functionName: forPlan.functionName, progress: forSteps.map((step) => ({ step, status: 'pending' })), state: {}, finished: false };
    const show = () => setRun({ ...current, progress: [...current.progress] });
    show();
    for (const item of current.progress) {
      item.status = 'running';
      show();
      try {
        item.detail = await item.step.run(current.state);
        item.status = 'done';
      } catch (error) {
        item.status = 'failed';
        item.error = error;
        for (const rest of current.progress) if (rest.status === 'pending') rest.status = 'not attempted';
        current.finished = true;
        show();
        return;
      }
    }
    if (!fromBlueprint) {
      route(`/console/functions/${encodeURIComponent(forPlan.functionName)}`);
      return;
    }
    const eventJson = fromBlueprint.testEvent({ ...context, functionName: forPlan.functionName, functionUrl: current.state.functionUrl, sampleObject: current.state.sampleObject });
    try {
      await saveTestEvent(forPlan.functionName, BLUEPRINT_TEST_EVENT_NAME, eventJson);
    } catch (error) {
      // An older faasbox has no saved test events (404): everything else exists, so say so calmly.
      const why = error instanceof ApiError && error.status === 404
        ? 'This faasbox server does not store test events yet'
        : `The test event was not saved (${error instanceof Error ? error.message : String(error)})`;
      current.testEventNotice = { message: why, event: eventJson };
      current.finished = true;
      show();
      return;
    }
    route(`/console/functions/${encodeURIComponent(forPlan.functionName)}/test`);
  };

  /** Removes what was created, newest first; URL, permissions and async settings go with the function. */
  const undoCreated = async () => {
    if (!run) return;
    const current: Run = { ...run, progress: [...run.progress] };
    const show = () => setRun({ ...current, progress: [...current.progress] });
    for (const item of [...current.progress].reverse()) {
      if (item.status !== 'done' || !item.step.undo) continue;
      try {
        await item.step.undo(current.state);
        item.status = 'removed';
      } catch (error) {
        item.status = 'not removed';
        item.error = error;
      }
      show();
    }
    const functionRemoved = current.progress.some((p) => p.step.createsFunction && p.status === 'removed');
    for (const item of current.progress) {
      if (item.status === 'done' && !item.step.undo) {
        item.status = functionRemoved ? 'removed' : 'not removed';
        item.detail = functionRemoved ? 'removed with the function' : 'the function was not removed';
      }
    }
    show();
  };

  // Back to the form: a new role name, as the last one may exist now.
  if (run) return <Progress run={run} onBack={() => { setRun(undefined); setRoleSuffix(randomRoleSuffix()); }} onUndo={undoCreated} />;

  /** Props of the input for `key`: its id, and its hint and problem as its description. */
  const field = (key: string) => ({
    id: `field-${key}`,
    'aria-invalid': shown(key) ? ('true' as const) : undefined,
    'aria-describedby': [`field-${key}-hint`, shown(key) ? `field-${key}-problem` : ''].join(' ').trim(),
  });

  return (
    <section aria-labelledby="create-title" class="create">
      <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/console/functions">Functions</a> › <span>Create function</span></nav>
      <div class="page-head"><h1 id="create-title">Create function</h1></div>
      <form onSubmit={submit} noValidate>
        <fieldset class="mode-choice">
          <legend class="visually-hidden">How to start</legend>
          <ChoiceCard name="mode" checked={mode === 'scratch'} onChoose={() => chooseMode('scratch')} title="Author from scratch" text="Start with a simple Hello World example." />
          <ChoiceCard name="mode" checked={mode === 'blueprint'} onChoose={() => chooseMode('blueprint')} title="Use a blueprint" text="Code, configuration and the queues, schedules or URL it needs, for a common use case." />
        </fieldset>

        {mode === 'blueprint' && (
          <fieldset class="card blueprints">
            <legend>Blueprints</legend>
            <div class="blueprint-grid">
              {BLUEPRINTS.map((b) => (
                <ChoiceCard key={b.id} name="blueprint" checked={b.id === blueprintId} onChoose={() => chooseBlueprint(b)} title={b.title} text={b.summary} labels={b.uses.length ? b.uses : ['Lambda only']} />
              ))}
            </div>
            {playgroundRefusal && <div class="banner error" role="alert" id="field-blueprint-problem" tabIndex={-1}>{playgroundRefusal}</div>}
          </fieldset>
        )}

        <div class="create-columns">
          <div class="create-main">
            <fieldset class="card">
              <legend>Basic information</legend>
              <Field of="name" problem={shown('name')} label="Function name" hint="1 to 64 letters, numbers, hyphens and underscores; unique in the account.">
                <input name="functionName" value={functionName} autocomplete="off" spellcheck={false} onInput={(e) => setName(e.currentTarget.value)} {...field('name')} />
              </Field>
              <div class="field-row">
                <Field of="runtime" problem={shown('runtime')} label="Runtime" hint="JavaScript on QuickJS with Lambda's Node.js conventions, or Python on MicroPython with its Python conventions.">
                  <select name="runtime" value={runtime} onChange={(e) => setRuntime(e.currentTarget.value)} {...field('runtime')}>
                    {RUNTIMES.map((r) => <option key={r} value={r}>{`${runtimeLabel(r)} (${r})`}</option>)}
                  </select>
                </Field>
                <Field of="memory" problem={shown('memory')} label="Memory (MB)" hint={`${MEMORY_MIN_MB} to ${MEMORY_MAX_MB}.`}>
                  <input name="memory" type="number" inputMode="numeric" min={MEMORY_MIN_MB} max={MEMORY_MAX_MB} step={1} value={memory} onInput={(e) => setMemory(e.currentTarget.value)} {...field('memory')} />
                </Field>
                <Field of="timeout" problem={shown('timeout')} label="Timeout (seconds)" hint={`${TIMEOUT_MIN_SECONDS} to ${TIMEOUT_MAX_SECONDS}.`}>
                  <input name="timeout" type="number" inputMode="numeric" min={TIMEOUT_MIN_SECONDS} max={TIMEOUT_MAX_SECONDS} step={1} value={timeout} onInput={(e) => setTimeoutText(e.currentTarget.value)} {...field('timeout')} />
                </Field>
              </div>
              <fieldset class="plain role-choice">
                <legend>Execution role</legend>
                <p class="hint">What the function may do: write its logs, read its queue, call AWS APIs with its own credentials. The role must trust lambda.amazonaws.com.</p>
                <label class="check">
                  <input type="radio" name="roleMode" checked={roleMode === 'new'} onChange={() => setRoleMode('new')} />
                  Create a new role with basic Lambda permissions
                </label>
                <label class="check">
                  <input type="radio" name="roleMode" checked={roleMode === 'existing'} onChange={() => setRoleMode('existing')} />
                  Use an existing role
                </label>
                <label class="check">
                  <input type="radio" name="roleMode" checked={roleMode === 'arn'} onChange={() => setRoleMode('arn')} />
                  Enter a role ARN
                </label>
              </fieldset>
              {roleMode === 'new' && (
                <p class="role-new" id="field-role-hint">
                  Creates the role <code>{createdRoleName}</code> (path <code>{SERVICE_ROLE_PATH}</code>) that Lambda may assume, with {rolePolicyNames.join(' and ')}
                  {roleInline.length > 0 ? ` and the inline ${roleInline.length === 1 ? 'policy' : 'policies'} ${roleInline.map((p) => `${p.name} (${p.summary})`).join(', ')}` : ''}.
                </p>
              )}
              {roleMode !== 'new' && roleInline.length > 0 && (
                <p class="hint role-needs">The role must also allow {roleInline.map((p) => p.summary).join('; ')}, as the policies a new role would get do.</p>
              )}
              {roleMode === 'existing' && (
                rolesError !== undefined ? <ErrorBanner error={rolesError} /> : (
                  <Field of="role" problem={shown('role')} label="Existing role" hint="The account's roles (IAM ListRoles).">
                    <select name="existingRole" value={existingRole} disabled={roles === undefined} onChange={(e) => setExistingRole(e.currentTarget.value)} {...field('role')}>
                      {roles === undefined && <option value="">Loading roles…</option>}
                      {roles?.length === 0 && <option value="">No roles in this account</option>}
                      {roles?.map((r) => <option key={r.arn} value={r.arn}>{r.roleName}</option>)}
                    </select>
                  </Field>
                )
              )}
              {roleMode === 'arn' && (
                <Field of="role" problem={shown('role')} label="Role ARN" hint="A role of this account, e.g. the ready role npm start creates.">
                  <input name="role" value={roleArnText} spellcheck={false} onInput={(e) => setRoleArnText(e.currentTarget.value)} {...field('role')} />
                </Field>
              )}
            </fieldset>

            {blueprint && blueprint.settings.length > 0 && (
              <fieldset class="card">
                <legend>{blueprint.title}: settings</legend>
                {blueprint.settings.map((s) => (
                  <Field key={s.key} of={s.key} problem={shown(s.key)} label={s.label} hint={s.hint}>
                    <input name={s.key} value={settings[s.key]} spellcheck={false} onInput={(e) => setEditedSettings({ ...editedSettings, [s.key]: e.currentTarget.value })} {...field(s.key)} />
                  </Field>
                ))}
              </fieldset>
            )}

            {blueprint && (
              <section class="card" aria-labelledby="code-title">
                <h2 id="code-title">Code</h2>
                {Object.entries(spec.files).map(([path, text]) => (
                  <div key={path}>
                    <p class="muted">{path} · handler <code>{spec.handler}</code></p>
                    <pre class="code-block code-preview" tabIndex={0} aria-label={`Code of ${path}`}>{text}</pre>
                  </div>
                ))}
                {spec.bundledFiles && <p class="muted">Also in the zip: {spec.bundledFiles.describe}.</p>}
                <details>
                  <summary>Default test event</summary>
                  <pre class="code-block code-preview" tabIndex={0} aria-label="Default test event">{blueprint.testEvent(context)}</pre>
                </details>
              </section>
            )}

            <details class="card advanced">
              <summary>Advanced settings</summary>
              <Field of="description" problem={shown('description')} label="Description" hint="Up to 256 characters.">
                <input name="description" value={description} placeholder={blueprint ? spec.description : ''} onInput={(e) => setDescription(e.currentTarget.value)} {...field('description')} />
              </Field>
              {!blueprint && (
                <>
                  <label class="check">
                    <input type="checkbox" checked={urlEnabled} onChange={(e) => setUrlEnabled(e.currentTarget.checked)} />
                    Enable function URL
                    <span class="hint">A dedicated HTTP(S) endpoint for the function.</span>
                  </label>
                  {urlEnabled && (
                    <div class="url-options">
                      <fieldset class="plain">
                        <legend>Auth type</legend>
                        <label class="check">
                          <input type="radio" name="authType" checked={authType === 'AWS_IAM'} onChange={() => setAuthType('AWS_IAM')} />
                          AWS_IAM
                          <span class="hint">Only signed requests of this account (or ones its resource policy allows).</span>
                        </label>
                        <label class="check">
                          <input type="radio" name="authType" checked={authType === 'NONE'} onChange={() => setAuthType('NONE')} />
                          NONE
                          <span class="hint">Public: anyone with the URL. The console adds the permission (FunctionURLAllowPublicAccess) for it.</span>
                        </label>
                      </fieldset>
                      <label class="check">
                        <input type="checkbox" checked={corsEnabled} onChange={(e) => setCorsEnabled(e.currentTarget.checked)} />
                        Configure cross-origin resource sharing (CORS)
                      </label>
                      {corsEnabled && (
                        <div class="cors">
                          <Field of="cors" problem={shown('cors')} label="Allow origins" hint="Comma-separated, e.g. https://example.com; * for any.">
                            <input name="allowOrigins" value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} {...field('cors')} />
                          </Field>
                          <fieldset class="plain">
                            <legend>Allow methods</legend>
                            <div class="method-list">
                              {CORS_METHODS.map((m) => (
                                <label key={m} class="check inline">
                                  <input type="checkbox" checked={methods.includes(m)} onChange={(e) => setMethods(e.currentTarget.checked ? [...methods, m] : methods.filter((x) => x !== m))} />
                                  {m}
                                </label>
                              ))}
                            </div>
                          </fieldset>
                          <div class="field-row">
                            <Field of="allowHeaders" label="Allow headers" hint="Comma-separated.">
                              <input name="allowHeaders" value={allowHeaders} onInput={(e) => setAllowHeaders(e.currentTarget.value)} {...field('allowHeaders')} />
                            </Field>
                            <Field of="exposeHeaders" label="Expose headers" hint="Comma-separated.">
                              <input name="exposeHeaders" value={exposeHeaders} onInput={(e) => setExposeHeaders(e.currentTarget.value)} {...field('exposeHeaders')} />
                            </Field>
                            <Field of="maxAge" label="Max age (seconds)" hint="0 to 86400.">
                              <input name="maxAge" type="number" min={0} max={86400} value={maxAge} onInput={(e) => setMaxAge(e.currentTarget.value)} {...field('maxAge')} />
                            </Field>
                          </div>
                          <label class="check"><input type="checkbox" checked={allowCredentials} onChange={(e) => setAllowCredentials(e.currentTarget.checked)} />Allow credentials</label>
                        </div>
                      )}
                    </div>
                  )}
                </>
              )}
            </details>
          </div>

          <aside class="card create-summary" aria-labelledby="summary-title">
            <h2 id="summary-title">What will be created</h2>
            <ol class="plan">
              {steps.map((s, i) => <li key={i}>{s.title}</li>)}
            </ol>
            {blueprint && <p class="hint">Then its default test event is saved as “{BLUEPRINT_TEST_EVENT_NAME}” and the Test tab opens.</p>}
            {submitted && Object.keys(problems).length > 0 && (
              <div class="banner error" role="alert">{playgroundRefusal && Object.keys(problems).length === 1
                ? 'This blueprint is not available in a playground sandbox (the reason is shown above the form).'
                : `Fix the fields marked above: ${Object.keys(problems).length} ${Object.keys(problems).length === 1 ? 'problem' : 'problems'}.`}</div>
            )}
            <div class="actions">
              <a class="button" href="/console/functions">Cancel</a>
              <button type="submit" class="button primary">Create function</button>
            </div>
            <CliHint command={steps.map((s) => s.cli).join('\n')} />
            <ZipDownload spec={spec} />
          </aside>
        </div>
      </form>
    </section>
  );
}

/** A labelled field: the label, the input (given `field(of)`'s props), a hint and the problem, if any. */
function Field({ of, label, hint, problem, children }: { of: string; label: string; hint?: string; problem?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={`field-${of}`}>{label}</label>
      {children}
      <span class="hint" id={`field-${of}-hint`}>{hint}</span>
      {problem && <span class="field-problem" id={`field-${of}-problem`}>{problem}</span>}
    </div>
  );
}

/** A radio input shown as a card (keyboard: arrows move between the cards of a group). */
function ChoiceCard({ name, checked, onChoose, title, text, labels }: { name: string; checked: boolean; onChoose: () => void; title: string; text: string; labels?: string[] }) {
  return (
    <label class={`choice${checked ? ' chosen' : ''}`}>
      <input type="radio" name={name} checked={checked} onChange={onChoose} />
      <span class="choice-title">{title}</span>
      <span class="choice-text">{text}</span>
      {labels && <span class="choice-labels">{labels.map((l) => <span key={l} class="tag">{l}</span>)}</span>}
    </label>
  );
}

/** The zip the CLI's `fileb://function.zip` names, built from the same files. */
function ZipDownload({ spec }: { spec: FunctionSpec }) {
  const download = async () => {
    const url = URL.createObjectURL(new Blob([zipFiles(await allFiles(spec)) as BlobPart], { type: 'application/zip' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'function.zip';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return <button type="button" class="button small zip-download" onClick={() => void download()}>Download function.zip</button>;
}

const STATUS_TEXT: Record<StepStatus, string> = {
  pending: 'Waiting', running: 'Creating…', done: 'Created', failed: 'Failed', 'not attempted': 'Not attempted', removed: 'Removed', 'not removed': 'Not removed',
};

/** The steps as they run, and after a failure what exists, what failed and what was not tried. */
function Progress({ run, onBack, onUndo }: { run: Run; onBack: () => void; onUndo: () => void }) {
  const failed = run.progress.find((p) => p.status === 'failed');
  const created = run.progress.filter((p) => p.status === 'done');
  const removed = run.progress.filter((p) => p.status === 'removed');
  const left = run.progress.filter((p) => p.status === 'not removed');
  const functionExists = run.progress.some((p) => p.step.createsFunction && (p.status === 'done' || p.status === 'not removed'));
  const functionHref = `/console/functions/${encodeURIComponent(run.functionName)}`;
  return (
    <section aria-labelledby="progress-title" class="create">
      <nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/console/functions">Functions</a> › <span>Create function</span></nav>
      <div class="page-head"><h1 id="progress-title">{failed ? `Creating ${run.functionName} failed` : `Creating ${run.functionName}`}</h1></div>
      <div class="card">
        <ol class="progress" aria-live="polite">
          {run.progress.map((p, i) => (
            <li key={i} class={`step ${p.status.replace(' ', '-')}`}>
              <span class="step-status">{STATUS_TEXT[p.status]}</span>
              <span class="step-title">{p.step.title}</span>
              {p.detail && <span class="step-detail">{p.detail}</span>}
              {p.error !== undefined && <ErrorBanner error={p.error} />}
            </li>
          ))}
        </ol>
        {run.finished && failed && (
          <div class="banner error" role="alert">
            <p><strong>{created.length + removed.length + left.length > 0 ? 'Not everything was created.' : 'Nothing was created.'}</strong> “{failed.step.title}” failed with the message above.</p>
            {created.length > 0 && <p>These exist now: {created.map((c) => c.step.title).join('; ')}.</p>}
            {removed.length > 0 && <p>Removed again: {removed.map((c) => c.step.title).join('; ')}.</p>}
            {left.length > 0 && <p>Could not be removed (see their messages): {left.map((c) => c.step.title).join('; ')}.</p>}
          </div>
        )}
        {run.finished && run.testEventNotice && (
          <div class="banner notice" role="status">
            <p><strong>{run.functionName} and everything it needs were created.</strong> {run.testEventNotice.message}, so the blueprint’s default test event is not saved with it: paste it into the Test tab.</p>
            <pre class="code-block code-preview" tabIndex={0} aria-label="Default test event">{run.testEventNotice.event}</pre>
            <button type="button" class="button small" onClick={() => void navigator.clipboard?.writeText(run.testEventNotice!.event).catch(() => undefined)}>Copy the event</button>
          </div>
        )}
        {run.finished && (
          <div class="actions">
            {functionExists && <a class="button primary" href={run.testEventNotice ? `${functionHref}/test` : functionHref}>{run.testEventNotice ? 'Open the Test tab' : `Open ${run.functionName}`}</a>}
            {failed && created.length > 0 && <button type="button" class="button danger" onClick={onUndo}>Remove what was created</button>}
            {failed && <button type="button" class="button" onClick={onBack}>Back to the form</button>}
          </div>
        )}
      </div>
    </section>
  );
}
