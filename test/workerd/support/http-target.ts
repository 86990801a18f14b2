// A real HTTP server in Node for functions under test to fetch (vitest globalSetup of the workerd
// project): `/status/<n>` answers with status n and, as JSON, the headers it received. Tests
// read its address with `inject('httpTargetUrl')`.
import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    httpTargetUrl: string;
  }
}

export default async function startHttpTarget(project: TestProject): Promise<() => Promise<void>> {
  const server = createServer((request, response) => {
    request.resume();
    const status = Number(/^\/status\/(\d{3})/.exec(request.url ?? '')?.[1] ?? 200);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  project.provide('httpTargetUrl', `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
