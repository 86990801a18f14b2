// A real HTTP server in Node for functions under test to fetch (vitest globalSetup of the workerd
// project): `/status/<n>` answers with status n and, as JSON, the headers it received;
// `/redirect?to=<url>` answers 302 to that URL; `/hold/<key>` sends headers and a first chunk and
// never ends, `/seen/<key>` answers once a `/hold/<key>` has arrived and `/closed/<key>` once its
// connection has closed (so tests see an abort without a clock); `/hook/<key>` records each
// request (method, URL, headers, body) and answers 200, or 500 to the first n with `?fail=n`, and
// `/inbox/<key>?count=<n>` answers the recorded requests as JSON once n have arrived (SNS's
// HTTP deliveries, test/workerd/sns). It listens on the port vitest.config.ts chose
// (`httpTargetPort`, the one the egress allow list names); tests read its address with
// `inject('httpTargetUrl')`.
import { createServer, type IncomingMessage, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    httpTargetUrl: string;
    httpTargetPort: number;
  }
}

/** One request a `/hook/<key>` received. */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A key's moments as the server lives them: the held request arrived, its connection closed. */
interface Held {
  seen: Promise<void>;
  markSeen: () => void;
  closed: Promise<void>;
  markClosed: () => void;
}

export default async function startHttpTarget(project: TestProject): Promise<() => Promise<void>> {
  const held = new Map<string, Held>();
  const heldFor = (key: string): Held => {
    let entry = held.get(key);
    if (!entry) {
      const made: Partial<Held> = {};
      made.seen = new Promise((resolve) => (made.markSeen = resolve));
      made.closed = new Promise((resolve) => (made.markClosed = resolve));
      entry = made as Held;
      held.set(key, entry);
    }
    return entry;
  };
  const hooks = new Map<string, { requests: Recorded[]; waiters: (() => void)[] }>();
  const hookFor = (key: string) => {
    let hook = hooks.get(key);
    if (!hook) hooks.set(key, (hook = { requests: [], waiters: [] }));
    return hook;
  };
  const server = createServer((request, response) => {
    const [, hookRoute, hookKey] = /^\/(hook|inbox)\/([\w-]+)/.exec(request.url ?? '') ?? [];
    if (hookRoute) return serveHook(hookRoute, hookFor(hookKey!), request, response);
    request.resume();
    const [, route, key] = /^\/(hold|seen|closed)\/([\w-]+)/.exec(request.url ?? '') ?? [];
    if (route === 'hold') {
      const entry = heldFor(key!);
      response.once('close', entry.markClosed);
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('first chunk, and no end');
      entry.markSeen();
      return;
    }
    if (route === 'seen' || route === 'closed') {
      const entry = heldFor(key!);
      void (route === 'seen' ? entry.seen : entry.closed).then(() => response.end(route));
      return;
    }
    const to = new URL(request.url ?? '/', 'http://target').searchParams.get('to');
    if (to !== null) {
      response.writeHead(302, { location: to });
      response.end();
      return;
    }
    const status = Number(/^\/status\/(\d{3})/.exec(request.url ?? '')?.[1] ?? 200);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers }));
  });
  function serveHook(route: string, hook: { requests: Recorded[]; waiters: (() => void)[] }, request: IncomingMessage, response: ServerResponse): void {
    const query = new URL(request.url ?? '/', 'http://target').searchParams;
    if (route === 'inbox') {
      request.resume();
      const count = Number(query.get('count') ?? 1);
      const answer = () => {
        if (hook.requests.length < count) return false;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(hook.requests));
        return true;
      };
      const wait = () => void (answer() || hook.waiters.push(wait));
      wait();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      hook.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const failing = hook.requests.length <= Number(query.get('fail') ?? 0);
      response.writeHead(failing ? 500 : 200, { 'content-type': 'text/plain' });
      response.end(failing ? 'failing on purpose' : 'ok');
      for (const waiter of hook.waiters.splice(0)) waiter();
    });
  }
  const port = project.getProvidedContext().httpTargetPort;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  project.provide('httpTargetUrl', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // a held response that nobody aborted
  });
}
