// What differs between two versions of a function, as data: their configurations row by row
// and their packages file by file. Pure, so the view only renders it.
import type { FunctionConfiguration } from '../aws/lambda';
import type { PackageFile } from '../aws/versions';

export interface ConfigurationRow {
  label: string;
  left: string;
  right: string;
  changed: boolean;
}

const shown = (value: unknown) => (value === undefined || value === null || value === '' ? '–' : String(value));

/** The settings a version freezes, then one row per environment variable either side has. */
export function compareConfigurations(left: FunctionConfiguration, right: FunctionConfiguration): ConfigurationRow[] {
  const settings: [string, (c: FunctionConfiguration) => unknown][] = [
    ['Runtime', (c) => c.Runtime],
    ['Handler', (c) => c.Handler],
    ['Memory (MB)', (c) => c.MemorySize],
    ['Timeout (s)', (c) => c.Timeout],
    ['Description', (c) => c.Description],
    ['Execution role', (c) => c.Role],
    ['Tracing', (c) => c.TracingConfig?.Mode],
    ['Dead-letter queue', (c) => c.DeadLetterConfig?.TargetArn],
    ['Architectures', (c) => c.Architectures?.join(', ')],
    ['Code size (bytes)', (c) => c.CodeSize],
    ['Code SHA-256', (c) => c.CodeSha256],
  ];
  const rows = settings.map(([label, read]) => ({ label, left: shown(read(left)), right: shown(read(right)) }));
  const leftEnv = left.Environment?.Variables ?? {};
  const rightEnv = right.Environment?.Variables ?? {};
  const keys = [...new Set([...Object.keys(leftEnv), ...Object.keys(rightEnv)])].sort();
  for (const key of keys) rows.push({ label: `Environment: ${key}`, left: key in leftEnv ? leftEnv[key] : '(not set)', right: key in rightEnv ? rightEnv[key] : '(not set)' });
  return rows.map((row) => ({ ...row, changed: row.left !== row.right }));
}

export interface FilePair {
  path: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  left?: PackageFile;
  right?: PackageFile;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Every path of either package, with what happened to it from left to right. */
export function compareFiles(left: PackageFile[], right: PackageFile[]): FilePair[] {
  const byPath = new Map<string, FilePair>();
  for (const file of left) byPath.set(file.path, { path: file.path, status: 'removed', left: file });
  for (const file of right) {
    const before = byPath.get(file.path);
    byPath.set(file.path, before?.left
      ? { path: file.path, status: sameBytes(before.left.bytes, file.bytes) ? 'unchanged' : 'changed', left: before.left, right: file }
      : { path: file.path, status: 'added', right: file });
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}
