// Ambient module declarations for the sandbox: guest sources are bundled as text (wrangler.toml
// has a Text rule for **/*.guest.js), so each import is the file's source as a string.
declare module '*.guest.py' {
  const source: string;
  export default source;
}
declare module '*.guest.js' {
  const source: string;
  export default source;
}
// MicroPython's WebAssembly port ships no types: its emscripten factory takes the module object
// (the generated copy of its glue, scripts/micropython-instrument.mjs).
declare module '*/micropython.glue.mjs' {
  export default function createMicroPythonModule(moduleArg: object): Promise<unknown>;
}
