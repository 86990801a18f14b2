// Which kind of execution environment runs a spec: QuickJS for the Node.js runtimes, MicroPython
// for the Python ones. The pool holds both through this one type; owns nothing.
import { isPythonRuntime, type EnvironmentSpec } from '../contract';
import { Environment, type EnvironmentOptions } from './environment';
import { micropythonCapBytes } from './python/micropython-instance';
import { PythonEnvironment } from './python/python-environment';
import { memoryCapBytes } from './wasm-instance';

/** An environment of either kind: the same invoke/release/memory surface to the pool. */
export type PooledEnvironment = Environment | PythonEnvironment;

/** A new environment of the kind `spec.runtime` needs (Environment.create and PythonEnvironment.create). */
export function createEnvironment(spec: EnvironmentSpec, options: EnvironmentOptions): Promise<PooledEnvironment> {
  return isPythonRuntime(spec.runtime) ? PythonEnvironment.create(spec, options) : Environment.create(spec, options);
}

/** The memory cap an environment for `spec` will have, in bytes (what the pool's budget is charged while it is busy). */
export function environmentCapBytes(spec: EnvironmentSpec): number {
  return isPythonRuntime(spec.runtime) ? micropythonCapBytes(spec.memoryLimitBytes) : memoryCapBytes(spec.memoryLimitBytes);
}
