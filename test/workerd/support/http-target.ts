// A real HTTP server in Node for functions under test to fetch (vitest globalSetup of the workerd
// project): `/status/<n>` answers with status n and, as JSON, the headers it received;
// `/redirect?to=<url>` answers 302 to that URL. It listens on the port vitest.config.ts chose
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

export default async function startHttpTarget(project: TestProject): Promise<() => Promise<void>> {
  const server = createServer((request, response) => {
    request.resume();
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
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
