// The sandbox's only door: src/ imports from here. Plain-data contract types and the pool;
// no QuickJS handle ever crosses this file.
export * from './contract';
export { lambdaNodePath } from './host/module-resolution';
export { formatEgressPattern, parseEgressPattern } from './host/egress-patterns';
export { egressRefusal } from './host/egress';
export { EnvironmentPool, type EnvironmentPoolOptions, type PoolStats, type PoolThrottle } from './host/pool';
