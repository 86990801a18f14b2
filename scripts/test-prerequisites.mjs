// Preflight of `npm test` and `npm run test:e2e`: the programs the end-to-end tests drive
// (Debian's AWS CLI v2, boto3, curl, zip, Chromium), installed with apt-get when running as root,
// otherwise one line naming what is missing and the command that installs it.
// Plain JavaScript for Node 20: npm runs it before anything from node_modules.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the tests find each program: where Debian installs it, unless a variable points at
// another copy (which also lets the "missing" answer be tried without uninstalling anything).
/** The AWS CLI v2; never PATH's `aws`, which may be a v1 (pyenv's, for one). */
export const AWS_CLI = process.env.FAASBOX_TEST_AWS_CLI || '/usr/bin/aws';
/** The Python whose boto3 the tests run. */
export const PYTHON = process.env.FAASBOX_TEST_PYTHON || '/usr/bin/python3';
/** The Chromium that playwright-core drives. */
export const CHROMIUM = process.env.FAASBOX_TEST_CHROMIUM || '/usr/bin/chromium';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

/**
 * Each prerequisite: `problem()` names what is missing (undefined when it is there). apt-get
 * installs `debianPackage` at the default path only, so not where `variable` is set.
 * @type {{ debianPackage: string, variable?: string, problem: () => string | undefined }[]}
 */
const PREREQUISITES = [
  { debianPackage: 'awscli', variable: 'FAASBOX_TEST_AWS_CLI', problem: () => awsCliProblem(AWS_CLI) },
  { debianPackage: 'python3-boto3', variable: 'FAASBOX_TEST_PYTHON', problem: () => (pythonHas(PYTHON, 'boto3') ? undefined : `boto3 for ${PYTHON}${setBy('FAASBOX_TEST_PYTHON')}`) },
  { debianPackage: 'chromium', variable: 'FAASBOX_TEST_CHROMIUM', problem: () => (isExecutable(CHROMIUM) ? undefined : `Chromium at ${CHROMIUM}${setBy('FAASBOX_TEST_CHROMIUM')}`) },
  { debianPackage: 'curl', problem: () => (onPath('curl') ? undefined : 'curl on PATH') },
  // The README's commands zip a function (test/e2e/readme.test.ts runs them).
  { debianPackage: 'zip', problem: () => (onPath('zip') ? undefined : 'zip on PATH') },
];

function setBy(variable) {
  return process.env[variable] ? ` (${variable})` : '';
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(program) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, program)));
}

/** Whether `python` finds `module`, without importing it (importing boto3 alone takes half a second). */
function pythonHas(python, module) {
  if (!isExecutable(python)) return false;
  const script = `import importlib.util, sys; sys.exit(importlib.util.find_spec(${JSON.stringify(module)}) is None)`;
  return spawnSync(python, ['-c', script], { stdio: 'ignore' }).status === 0;
}

/** What is wrong with the AWS CLI at `path`: missing, or not version 2. */
function awsCliProblem(path) {
  const wanted = `the AWS CLI v2 at ${path}${setBy('FAASBOX_TEST_AWS_CLI')}`;
  if (!isExecutable(path)) return wanted;
  const version = awsCliVersion(path);
  if (version?.startsWith('2.')) return undefined;
  return `${wanted} (found ${version ? `version ${version}` : 'something else'})`;
}

/** The CLI's version: from its Python package's metadata when it is a Python script (fast), else from `--version`. */
function awsCliVersion(path) {
  const python = /^#!\s*(\S*python\S*)/.exec(readFileSync(path, 'latin1').slice(0, 200))?.[1];
  if (python) {
    const metadata = spawnSync(python, ['-c', 'import importlib.metadata as m; print(m.version("awscli"))'], { encoding: 'utf8' });
    if (metadata.status === 0) return metadata.stdout.trim();
  }
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', env: { ...process.env, AWS_PAGER: '' } });
  return /aws-cli\/(\S+)/.exec(`${run.stdout}${run.stderr}`)?.[1];
}

function missingNow() {
  return PREREQUISITES.flatMap((p) => {
    const what = p.problem();
    return what ? [{ ...p, what, installable: !(p.variable && process.env[p.variable]) }] : [];
  });
}

/** Stops with one line: what is missing and the command that installs it. */
function fail(missing, note = '') {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  const packages = missing.map((p) => p.debianPackage).join(' ');
  const pointed = missing.filter((p) => !p.installable).map((p) => p.variable);
  const unset = pointed.length > 0 ? ` and unset ${pointed.join(' ')}` : '';
  console.error(`end-to-end tests need ${missing.map((p) => p.what).join(', ')}${note}; install with: ${sudo}apt-get update && ${sudo}apt-get install -y ${packages}${unset}`);
  process.exit(1);
}

function main() {
  if (!existsSync(join(ROOT, 'node_modules', '.bin', 'vitest'))) {
    console.error('the tests need the npm dependencies: run npm install (or npm ci) first');
    process.exit(1);
  }
  const missing = missingNow();
  if (missing.length === 0) return;
  const packages = missing.filter((p) => p.installable).map((p) => p.debianPackage);
  if (packages.length === 0 || process.getuid?.() !== 0 || !onPath('apt-get')) fail(missing);

  console.error(`installing what the end-to-end tests need from Debian: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  } catch {
    fail(missing, ' (apt-get failed)');
  }
  const still = missingNow();
  if (still.length > 0) fail(still, ' (still missing after apt-get install)');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
