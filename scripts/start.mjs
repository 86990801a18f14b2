// `npm start`: ensures the local admin account's keys (.dev.vars), checks the FAASBOX_* values, starts
// `wrangler dev` on 127.0.0.1:8787, makes the ready execution role (ready-role.mjs), and prints the
// console URL, the account, its keys, the role and a ready-to-paste AWS CLI snippet.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ensureDevVars } from './dev-vars.mjs';
import { ensureReadyRole, READY_ROLE_NAME } from './ready-role.mjs';
// The Worker's own parser: Node 22 (first on PATH under npm) strips its types.
import { ConfigError, parseConfig } from '../src/config.ts';

const HELP = `Usage: npm start [-- [--port N] [wrangler dev options...]]

Starts faasbox locally with \`wrangler dev\` on http://127.0.0.1:8787 (local Durable Objects and
R2 under .wrangler/state, kept across restarts). On first start it writes .dev.vars with the local
admin account's random access keys; later starts keep them. A malformed FAASBOX_* value (in
wrangler.toml, .dev.vars or a --var NAME:VALUE option) stops it before wrangler starts, in one line.
Once it answers, it creates the execution role ${READY_ROLE_NAME} (trusting Lambda, with
AWSLambdaBasicExecutionRole) unless the account has it, and prints the console URL, the account
id, region, keys, the role's ARN and an AWS CLI snippet. Locally the sandbox pool's memory budget
is 512 MiB (FAASBOX_POOL_BUDGET_MB; wrangler.toml's 80 is for a deployed 128 MB isolate) unless
.dev.vars or --var sets it. Crons do not fire by themselves in dev:
GET /cdn-cgi/handler/scheduled?cron=*+*+*+*+* runs the scheduled handler.

Options:
  --port N     listen on port N instead of 8787
  --help       show this help
Any other option is passed to \`wrangler dev\`.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 8787;
const passThrough = portIndex >= 0 ? args.filter((_, i) => i !== portIndex && i !== portIndex + 1) : args;

const keys = ensureDevVars('.dev.vars');

/** wrangler.toml's [vars]: quoted strings or bare values. */
function tomlVars(toml) {
  const section = /^\[vars\][^\n]*\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? '';
  const entries = section.matchAll(/^\s*([A-Za-z_]\w*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]+))/gm);
  return Object.fromEntries([...entries].map((m) => [m[1], m[2] ?? m[3] ?? m[4]]));
}

/** The `--var NAME:VALUE [NAME:VALUE...]` (or `--var=NAME:VALUE`) options passed on to wrangler. */
function cliVars(options) {
  const vars = {};
  for (let i = 0; i < options.length; i++) {
    const values = options[i].startsWith('--var=') ? [options[i].slice('--var='.length)] : [];
    if (options[i] === '--var') while (options[i + 1] !== undefined && !options[i + 1].startsWith('-')) values.push(options[++i]);
    for (const value of values) {
      const colon = value.indexOf(':');
      if (colon > 0) vars[value.slice(0, colon)] = value.slice(colon + 1);
    }
  }
  return vars;
}

/**
 * Where a laptop differs from a deployed isolate: local workerd has no 128 MB isolate limit
 * (PLATFORM-NOTES), so the sandbox pool may hold as many environments as the test suites give it
 * and concurrent invocations run side by side instead of waiting for memory. Passed as --var unless
 * .dev.vars or a --var option sets them.
 */
const LOCAL_DEFAULTS = { FAASBOX_POOL_BUDGET_MB: '512' };
const localDefaults = Object.entries(LOCAL_DEFAULTS).filter(([name]) => !(name in keys) && !(name in cliVars(passThrough)));
const localVarOptions = localDefaults.length > 0 ? ['--var', ...localDefaults.map(([name, value]) => `${name}:${value}`)] : [];

// The values wrangler dev gives the Worker, later sources winning, checked before wrangler starts
// so that a malformed one costs one clear line instead of a runtime failure screen.
const sources = [['wrangler.toml', tomlVars(readFileSync('wrangler.toml', 'utf8'))], ['npm start', Object.fromEntries(localDefaults)], ['.dev.vars', keys], ['--var', cliVars(passThrough)]];
let config;
try {
  config = parseConfig(Object.assign({}, ...sources.map(([, vars]) => vars)));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  const source = sources.findLast(([, vars]) => error.variable in vars)?.[0] ?? 'not set';
  console.error(`faasbox: not starting: ${error.message} (${source})`);
  process.exit(1);
}
const { region, adminAccountId: accountId } = config;
const endpoint = `http://127.0.0.1:${port}`;

/** A full-width rule around the banner, so that it stands out after wrangler's bindings table (bold on a terminal). */
const RULE = '='.repeat(78);
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);

/**
 * The banner, with the ready role's ARN or why it could not be made; printed once wrangler is
 * ready, after its own output. The snippet names the endpoint on every command: `--endpoint-url`
 * is read by every AWS CLI, AWS_ENDPOINT_URL and a profile's endpoint_url only by 2.13 and newer.
 */
const banner = (role) => `
${bold(RULE)}
${bold(`  faasbox is running at ${endpoint}`)}

  Console            ${endpoint}/console  (sign in with the keys below)
  Account id         ${accountId} (local admin account)
  Region             ${region}
  Access key id      ${keys.FAASBOX_ACCESS_KEY_ID}
  Secret access key  ${keys.FAASBOX_SECRET_ACCESS_KEY}
  Execution role     ${role}

Paste into a shell to use the AWS CLI against it. Every command names the endpoint, which every
AWS CLI v2 reads; AWS_ENDPOINT_URL(_<SERVICE>) and a profile's endpoint_url are read only by
2.13 and newer (Debian's 2.9 would call AWS itself). The alias saves typing it:

  export AWS_ACCESS_KEY_ID=${keys.FAASBOX_ACCESS_KEY_ID}
  export AWS_SECRET_ACCESS_KEY='${keys.FAASBOX_SECRET_ACCESS_KEY}'
  export AWS_DEFAULT_REGION=${region}
  export FAASBOX=${endpoint}
  alias awsl='aws --endpoint-url $FAASBOX'
  aws lambda list-functions --endpoint-url $FAASBOX
${bold(RULE)}
`;

// --test-scheduled: crons never fire by themselves in dev; this lets
// GET /cdn-cgi/handler/scheduled?cron=*+*+*+*+* run the scheduled handler (README, "Schedules").
const wrangler = spawn('wrangler', ['dev', '--ip', '127.0.0.1', '--port', String(port), '--test-scheduled', ...localVarOptions, ...passThrough], {
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
let announced = false;
wrangler.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/.test(String(chunk))) {
    announced = true;
    ensureReadyRole({ endpoint, accessKeyId: keys.FAASBOX_ACCESS_KEY_ID, secretAccessKey: keys.FAASBOX_SECRET_ACCESS_KEY, region, accountId })
      .then(({ arn, created }) => `${arn}${created ? ' (created now: logs only, AWSLambdaBasicExecutionRole)' : ''}`, (error) => `${READY_ROLE_NAME} not created: ${error.message}`)
      .then((role) => process.stdout.write(banner(role)));
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => wrangler.kill(signal));
wrangler.on('exit', (code) => process.exit(code ?? 0));
