// `npm start`: ensures the local admin account's keys (.dev.vars), starts `wrangler dev` on
// 127.0.0.1:8787, and prints the account, its keys and a ready-to-paste AWS CLI snippet.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ensureDevVars } from './dev-vars.mjs';

const HELP = `Usage: npm start [-- [--port N] [wrangler dev options...]]

Starts faasbox locally with \`wrangler dev\` on http://127.0.0.1:8787 (local Durable Objects and
R2 under .wrangler/state, kept across restarts). On first start it writes .dev.vars with the local
admin account's random access keys; later starts keep them. Then it prints the account id, region,
keys and an AWS CLI snippet. Crons do not fire by themselves in dev:
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
const config = readFileSync('wrangler.toml', 'utf8');
const setting = (name) => new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(config)?.[1];
const region = setting('FAASBOX_REGION');
const accountId = setting('FAASBOX_ADMIN_ACCOUNT_ID');
const endpoint = `http://127.0.0.1:${port}`;

const banner = `
faasbox is running at ${endpoint}

  Account id         ${accountId} (local admin account)
  Region             ${region}
  Access key id      ${keys.FAASBOX_ACCESS_KEY_ID}
  Secret access key  ${keys.FAASBOX_SECRET_ACCESS_KEY}

Paste into a shell to use the AWS CLI against it:

  export AWS_ACCESS_KEY_ID=${keys.FAASBOX_ACCESS_KEY_ID}
  export AWS_SECRET_ACCESS_KEY='${keys.FAASBOX_SECRET_ACCESS_KEY}'
  export AWS_DEFAULT_REGION=${region}
  export AWS_ENDPOINT_URL_LAMBDA=${endpoint}
  aws lambda list-functions
`;

// --test-scheduled: crons never fire by themselves in dev; this lets
// GET /cdn-cgi/handler/scheduled?cron=*+*+*+*+* run the scheduled handler (README, "Schedules").
const wrangler = spawn('wrangler', ['dev', '--ip', '127.0.0.1', '--port', String(port), '--test-scheduled', ...passThrough], {
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
let announced = false;
wrangler.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/.test(String(chunk))) {
    announced = true;
    process.stdout.write(banner);
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => wrangler.kill(signal));
wrangler.on('exit', (code) => process.exit(code ?? 0));
