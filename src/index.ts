// Worker entry: the fetch handler and the Durable Object classes. No logic here.
import { app } from './app';

export { AccountDirectory } from './objects/account-directory';
export { FunctionRegistry } from './objects/function-registry';
export { LogStore } from './objects/log-store';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
