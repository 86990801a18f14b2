// General configuration: description, memory and timeout (UpdateFunctionConfiguration), checked
// with the API's own bounds; the API's refusal is shown as it worded it.
import { useState } from 'preact/hooks';
import { updateFunctionConfiguration } from '../../../aws/config';
import { awsCli } from '../../../cli';
import { CliHint } from '../../../components/CliHint';
import type { FunctionTabProps } from '../tab-props';
import { ActionStatus, Field } from './ActionStatus';
import { useAction } from './use-action';

/** Lambda's bounds (src/limits.ts speaks them to the API; the console knows only the wire). */
export const MEMORY_MB = { min: 128, max: 10_240 };
export const TIMEOUT_SECONDS = { min: 1, max: 900 };
const DESCRIPTION_MAX_CHARS = 256;

/** The API's constraint on an integer member, or undefined when `text` satisfies it. */
export function integerProblem(text: string, min: number, max: number): string | undefined {
  if (!/^-?\d+$/.test(text.trim())) return 'Member must be an integer';
  const value = Number(text);
  if (value < min) return `Member must have value greater than or equal to ${min}`;
  if (value > max) return `Member must have value less than or equal to ${max}`;
  return undefined;
}

export function General({ name, details, reload }: FunctionTabProps) {
  const config = details.Configuration;
  const [description, setDescription] = useState(config.Description ?? '');
  const [memory, setMemory] = useState(String(config.MemorySize));
  const [timeoutText, setTimeoutText] = useState(String(config.Timeout));
  const action = useAction(reload);
  const problems = {
    description: description.length > DESCRIPTION_MAX_CHARS ? `Member must have length less than or equal to ${DESCRIPTION_MAX_CHARS}` : undefined,
    memory: integerProblem(memory, MEMORY_MB.min, MEMORY_MB.max),
    timeout: integerProblem(timeoutText, TIMEOUT_SECONDS.min, TIMEOUT_SECONDS.max),
  };
  const changes = { Description: description, MemorySize: Number(memory), Timeout: Number(timeoutText) };
  // Sent even when a field looks wrong: the API decides, and its answer is what the user sees.
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(() => updateFunctionConfiguration(name, changes), 'General configuration saved.');
  };
  return (
    <form onSubmit={save} noValidate aria-labelledby="general-title">
      <h2 id="general-title">General configuration</h2>
      <dl class="facts">
        <dt>Runtime</dt><dd>{config.Runtime ?? '–'}</dd>
        <dt>Handler</dt><dd class="mono">{config.Handler ?? '–'}</dd>
        <dt>Architecture</dt><dd>{config.Architectures?.join(', ') ?? 'x86_64'}</dd>
        <dt>Revision</dt><dd class="mono">{config.RevisionId ?? '–'}</dd>
      </dl>
      <div class="form-grid">
        <Field label="Description" hint={`${description.length} of ${DESCRIPTION_MAX_CHARS} characters`} problem={problems.description}>
          <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} aria-invalid={problems.description ? true : undefined} />
        </Field>
        <Field label="Memory (MB)" hint={`${MEMORY_MB.min} to ${MEMORY_MB.max} MB, in 1 MB steps; billed duration is priced by it`} problem={problems.memory}>
          <input type="number" inputMode="numeric" value={memory} onInput={(e) => setMemory(e.currentTarget.value)} aria-invalid={problems.memory ? true : undefined} />
        </Field>
        <Field label="Timeout (seconds)" hint={`${TIMEOUT_SECONDS.min} to ${TIMEOUT_SECONDS.max} seconds`} problem={problems.timeout}>
          <input type="number" inputMode="numeric" value={timeoutText} onInput={(e) => setTimeoutText(e.currentTarget.value)} aria-invalid={problems.timeout ? true : undefined} />
        </Field>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={action.busy}>{action.busy ? 'Saving…' : 'Save'}</button>
      </div>
      <ActionStatus action={action} />
      <CliHint command={awsCli('lambda', 'update-function-configuration', ['--function-name', name, '--description', description, '--memory-size', memory, '--timeout', timeoutText])} />
    </form>
  );
}
