// The last init error the sandbox reported for a function (Runtime.UserCodeSyntaxError,
// Runtime.ImportModuleError, or an error thrown with a frame in the bundle), as a file and line
// the Code tab marks in its editor. Eager and free of CodeMirror, so the Test tab can report an
// invocation's error without loading the editor.
import { signal } from '@preact/signals';

/** Lambda's function error shape, as an invocation's payload carries it. */
export interface FunctionErrorShape {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** Where in the bundle an error points, with what to say there. */
export interface RuntimeErrorMark {
  functionName: string;
  errorType: string;
  errorMessage: string;
  /** Bundle-relative path (`lib/util.js`). */
  path: string;
  /** 1-based, as the sandbox's frames count them. */
  line: number;
  /** 1-based; may lie past the line's end (the CommonJS wrapper shares line 1), so clamp it. */
  column: number;
  /** True for the init failures that stop every invocation (syntax, import); false for a thrown error. */
  initFailure: boolean;
}

const TASK_ROOT = '/var/task/';
/** `    at /var/task/lib.js:3:25` or `    at name (/var/task/index.js:1:81)`. */
const FRAME = /\(?\/var\/task\/([^():]+):(\d+):(\d+)\)?\s*$/;
const INIT_FAILURES = new Set(['Runtime.UserCodeSyntaxError', 'Runtime.ImportModuleError']);

/**
 * The bundle file and line an error names: its first frame in /var/task. faasbox's sandbox puts
 * the file with the syntax error first (`at /var/task/lib.js:3:25`, then the require chain); for an
 * ImportModuleError the first frame is the failed require. Undefined when no frame names the
 * bundle (e.g. a JSON parse error's `<input>` frame is skipped for the file that required it).
 */
export function runtimeErrorLocation(error: FunctionErrorShape): { path: string; line: number; column: number } | undefined {
  for (const frame of error.trace?.slice(1) ?? []) {
    const match = FRAME.exec(frame);
    if (match && frame.includes(TASK_ROOT)) return { path: match[1]!, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/** The mark the Code tab shows, per function; the Code tab reads it when it opens, too. */
export const runtimeErrorMarks = signal<ReadonlyMap<string, RuntimeErrorMark>>(new Map());

/**
 * Reports an invocation's outcome to the Code tab. Call it after every invoke of `functionName`
 * with the function error (errorType, errorMessage, trace from the payload), or with undefined
 * when the invoke succeeded, which clears the mark. Returns the mark when the error names a line.
 *
 * @example
 * // in the Test tab, after an invoke answered X-Amz-Function-Error:
 * const mark = markRuntimeError(name, JSON.parse(payload));
 * if (mark) showLink(`/console/functions/${name}/code`, `${mark.path}:${mark.line}`);
 */
export function markRuntimeError(functionName: string, error: FunctionErrorShape | undefined): RuntimeErrorMark | undefined {
  const location = error ? runtimeErrorLocation(error) : undefined;
  const next = new Map(runtimeErrorMarks.value);
  const mark = error && location ? { functionName, errorType: error.errorType, errorMessage: error.errorMessage, ...location, initFailure: INIT_FAILURES.has(error.errorType) } : undefined;
  if (mark) next.set(functionName, mark);
  else next.delete(functionName);
  runtimeErrorMarks.value = next;
  return mark;
}

/** Forgets a function's mark (its code changed: the Code tab calls this on Deploy). */
export function clearRuntimeError(functionName: string): void {
  markRuntimeError(functionName, undefined);
}
