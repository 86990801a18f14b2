// S3 upload memory: the resident memory of wrangler dev's workerd while one 50 MB PutObject
// (@aws-sdk/client-s3, hex x-amz-content-sha256 as it signs a buffer over http) and one 50 MB
// aws-chunked PutObject (STREAMING-UNSIGNED-PAYLOAD-TRAILER, a stream body) go through it, beside
// its resident memory before (the baseline), sampled every 10 ms. A count, not a time.
// Usage: node bench/s3-upload-memory.mjs
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startWrangler, stopWrangler } from '../scripts/wrangler-dev.mjs';

const MB = 1024 * 1024;
const SIZE = 50 * MB;
const credentials = { accessKeyId: 'AKIABENCH00000000000', secretAccessKey: 'bench-secret' };

/** The workerd processes under `pid` (wrangler runs workerd as a child of its own children). */
function descendants(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), { ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch { /* gone */ }
  }
  const found = [];
  const walk = (p) => { for (const [child, info] of parents) if (info.ppid === p) { if (info.name === 'workerd') found.push(child); walk(child); } };
  walk(pid);
  return found;
}
const rssBytes = (pids) => pids.reduce((sum, pid) => {
  try { return sum + Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024; } catch { return sum; }
}, 0);


const CASES = [
  ['PutObject 50 MB, hex x-amz-content-sha256 (a buffer)', (body) => ({ Body: body })],
  ['PutObject 50 MB, aws-chunked (a stream)', (body) => ({ Body: Readable.from((function* () { for (let i = 0; i < SIZE; i += MB) yield body.subarray(i, i + MB); })()), ContentLength: SIZE })],
];
const rows = [];
// Each case in a fresh wrangler dev: a process's resident memory does not shrink, so a second upload would reuse the first's.
for (const [label, input] of CASES) {
  const state = mkdtempSync(join(tmpdir(), 'faasbox-bench-s3-'));
  const wrangler = await startWrangler(['--persist-to', state, '--var', `FAASBOX_ACCESS_KEY_ID:${credentials.accessKeyId}`, '--var', `FAASBOX_SECRET_ACCESS_KEY:${credentials.secretAccessKey}`], 8799);
  try {
    const s3 = new S3Client({ endpoint: 'http://127.0.0.1:8799', forcePathStyle: true, region: 'us-east-1', credentials, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-memory' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench-memory', Key: 'warm', Body: Buffer.alloc(MB, 1) }));
    const pids = descendants(wrangler.pid);
    const body = Buffer.alloc(SIZE, 7);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = rssBytes(pids);
    let peak = before;
    const timer = setInterval(() => { peak = Math.max(peak, rssBytes(pids)); }, 10);
    try { await s3.send(new PutObjectCommand({ Bucket: 'bench-memory', Key: 'big', ...input(body) })); } finally { clearInterval(timer); }
    rows.push([label, before, Math.max(peak, rssBytes(pids))]);
  } finally {
    await stopWrangler(wrangler);
    rmSync(state, { recursive: true, force: true });
  }
}
console.log('\nS3 upload memory (resident memory of wrangler dev\'s workerd processes: the Worker and the local R2 together, MB)');
console.log('| upload | before (baseline) | peak during | peak - before |\n|---|---|---|---|');
for (const [label, before, peak] of rows) console.log(`| ${label} | ${(before / MB).toFixed(1)} | ${(peak / MB).toFixed(1)} | ${((peak - before) / MB).toFixed(1)} |`);
