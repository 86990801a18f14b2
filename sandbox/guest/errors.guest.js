// Runs inside QuickJS. The one place any thrown value becomes Lambda's {errorType, errorMessage,
// trace}, from guest frames only; owns nothing.
(function installErrors(host, parts) {
  'use strict';

  const RUNTIME_FRAME = 'faasbox:';
  /** Node's default Error.stackTraceLimit: traces carry at most this many frames. */
  const MAX_FRAMES = 10;

  function guestFrames(stack) {
    return String(stack || '').split('\n').filter((line) => line.trim() !== '' && !line.includes(RUNTIME_FRAME)).slice(0, MAX_FRAMES);
  }

  /** Lambda's reduction of a thrown value; never throws, whatever the value does. */
  function toGuestError(value) {
    try {
      if (isErrorLike(value)) {
        if (isStackOverflow(value)) return { errorType: 'RangeError', errorMessage: STACK_OVERFLOW, trace: [`RangeError: ${STACK_OVERFLOW}`, ...guestFrames(value.stack)] };
        const name = errorName(value);
        const message = value.message === undefined ? '' : String(value.message);
        const frames = guestFrames(value.stack);
        return { errorType: name, errorMessage: message, trace: [message ? `${name}: ${message}` : name, ...frames] };
      }
      return { errorType: typeof value, errorMessage: String(value), trace: [] };
    } catch {
      return {
        errorType: 'handled',
        errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
        trace: [],
      };
    }
  }

  /** Node's (and so Lambda's) words for a stack overflow; QuickJS says InternalError "stack overflow". */
  const STACK_OVERFLOW = 'Maximum call stack size exceeded';

  function isStackOverflow(error) {
    return errorName(error) === 'InternalError' && error.message === 'stack overflow';
  }

  function isErrorLike(value) {
    return value instanceof Error || (value !== null && typeof value === 'object' && typeof value.message === 'string' && typeof value.stack === 'string');
  }

  function errorName(error) {
    if (typeof error.name === 'string' && error.name !== '') return error.name;
    const ctor = error.constructor;
    return ctor && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'Error';
  }

  /** An init failure with Lambda's errorType, carried as an Error until it is reported. */
  class RuntimeInitError extends Error {
    constructor(errorType, reason, message, cause) {
      super(message);
      this.name = errorType;
      this.reason = reason;
      this.frames = cause ? guestFrames(cause.stack) : [];
    }
    toGuestError() {
      return { errorType: this.name, errorMessage: this.message, trace: [`${this.name}: ${this.message}`, ...this.frames] };
    }
  }

  parts.toGuestError = toGuestError;
  parts.RuntimeInitError = RuntimeInitError;
})
