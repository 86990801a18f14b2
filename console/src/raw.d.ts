// `import text from './file?raw'`: a file's content as a string, inlined at build time (esbuild's
// text loader through scripts/console-build.mjs; Vite, under vitest, understands the same suffix).
declare module '*?raw' {
  const text: string;
  export default text;
}
