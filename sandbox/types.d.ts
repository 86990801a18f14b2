// Ambient module declarations for the sandbox: guest sources are bundled as text (wrangler.toml
// has a Text rule for **/*.guest.js), so each import is the file's source as a string.
declare module '*.guest.js' {
  const source: string;
  export default source;
}
