// Fixture sources are imported as text through Vite's `?raw` suffix.
declare module '*?raw' {
  const source: string;
  export default source;
}
