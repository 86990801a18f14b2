// Which kind of execution environment runs a spec: QuickJS for the Node.js runtimes, MicroPython
// for the Python ones. The pool holds both through this one type; owns nothing.
import { isPythonRuntime, type EnvironmentSpec } from '../contract';
import { Environment, type EnvironmentOptions } from './environment';
import { PythonEnvironment } from './python/python-environment';

/** An environment of either kind: the same invoke/release/memory surface to the pool. */
export type PooledEnvironment = Environment | PythonEnvironment;

/** A new environment of the kind `spec.runtime` needs (Environment.create and PythonEnvironment.create). */
export function createEnvironment(spec: EnvironmentSpec, options: EnvironmentOptions): Promise<PooledEnvironment> {
  return isPythonRuntime(spec.runtime) ? PythonEnvironment.create(spec, options) : Environment.create(spec, options);
}
