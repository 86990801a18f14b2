// One `wrangler dev` and one Chromium for the end-to-end files that opt in (vitest globalSetup of
// the e2e project): a small broker on loopback starts each on a file's first request, hands every
// file the same one, and stops them when the run ends. Nothing starts in a run without such a file.
//
// A file opts in with `useDevServer({ shared: true })` (test/e2e/support/harness.ts), which gives it
// an account of its own on the shared server (so its functions, queues and lists are its own), and
// `useConsoleBrowser(server, { shared: true })` (console-browser.ts), which connects to the shared
// Chromium (each page in a context of its own). A file that needs Worker variables of its own, a
// restart, the server's state directory or its output, or that fires every account's schedules
// (`/cdn-cgi/handler/scheduled`) keeps a server of its own.
import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { chromium, type BrowserServer } from 'playwright-core';
import { startDevServer, type DevServer } from './dev-server';
import { CHROMIUM_LAUNCH } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The broker's address: POST /dev-server and POST /browser answer what SharedDevServer and SharedBrowser describe. */
    e2eSharedBrokerUrl: string;
  }
}

/** The shared server as the broker hands it out: its endpoint and the admin keys (harness.ts makes each file an account with them). */
export interface SharedDevServer {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** The shared Chromium: playwright's `chromium.connect(wsEndpoint)`. */
export interface SharedBrowser {
  wsEndpoint: string;
}

export default async function startSharedServers(project: TestProject): Promise<() => Promise<void>> {
  let devServer: Promise<DevServer> | undefined;
  let browser: Promise<BrowserServer> | undefined;
  const answers: Record<string, () => Promise<SharedDevServer | SharedBrowser>> = {
    '/dev-server': async () => {
      // A file's first request starts it; every later one (also while it starts) waits for the same server.
      devServer ??= startDevServer();
      const { endpoint, accessKeyId, secretAccessKey, region } = await devServer;
      return { endpoint, accessKeyId, secretAccessKey, region };
    },
    '/browser': async () => {
      browser ??= chromium.launchServer({ ...CHROMIUM_LAUNCH, host: '127.0.0.1' });
      return { wsEndpoint: (await browser).wsEndpoint() };
    },
  };
  const broker: Server = createServer((request, response) => {
    request.resume();
    const answer = request.method === 'POST' ? answers[request.url ?? ''] : undefined;
    if (!answer) {
      response.writeHead(404).end();
      return;
    }
    answer().then(
      (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  project.provide('e2eSharedBrokerUrl', `http://127.0.0.1:${(broker.address() as { port: number }).port}`);

  return async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await Promise.all([
      devServer?.then((server) => server.stop(), () => undefined),
      browser?.then((server) => server.close(), () => undefined),
    ]);
  };
}

/** Asks the broker (from a test file) for the shared server or browser, starting it if this is the first ask. */
export async function askBroker<T extends SharedDevServer | SharedBrowser>(brokerUrl: string, what: '/dev-server' | '/browser'): Promise<T> {
  const response = await fetch(`${brokerUrl}${what}`, { method: 'POST' });
  if (!response.ok) throw new Error(`the shared ${what.slice(1)} did not start: ${await response.text()}`);
  return (await response.json()) as T;
}
