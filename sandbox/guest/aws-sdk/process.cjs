// Runs inside QuickJS, bundled by scripts/guest-sdk.mjs in place of the npm `process` package that
// readable-stream requires: the guest's own process, whose nextTick is a microtask. (The npm one
// queues its ticks behind a timer, and the sandbox cancels a finished invocation's timers, which
// would leave its queue stuck for the environment's next invocation.)
module.exports = globalThis.process;
