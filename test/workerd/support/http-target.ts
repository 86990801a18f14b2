// A real HTTP server in Node for functions under test to fetch (vitest globalSetup of the workerd
// project): `/status/<n>` answers with status n and, as JSON, the headers it received;
// `/redirect?to=<url>` answers 302 to that URL; `/hold/<key>` sends headers and a first chunk and
// never ends, `/seen/<key>` answers once a `/hold/<key>` has arrived and `/closed/<key>` once its
// connection has closed (so tests see an abort without a clock). It listens on the port vitest.config.ts chose
// (`httpTargetPort`, the one the egress allow list names); tests read its address with
// `inject('httpTargetUrl')`.
import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    httpTargetUrl: string;
    httpTargetPort: number;
  }
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
  const server = createServer((request, response) => {
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
  const port = project.getProvidedContext().httpTargetPort;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  project.provide('httpTargetUrl', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // a held response that nobody aborted
  });
}
