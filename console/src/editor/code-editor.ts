// The Code tab's editor: one CodeMirror 6 view over many files, one EditorState per file (each
// keeps its own undo history, selection and diagnostics), JavaScript/JSON/Python by extension, the
// syntax linter, the sandbox's runtime mark, and the strict CSP's nonce. Loaded with a dynamic
// import() from CodeTab, so CodeMirror stays out of the initial bundle.
import { basicSetup } from 'codemirror';
import { EditorView } from '@codemirror/view';
import { EditorState, Facet, type Extension, type Text } from '@codemirror/state';
import { javascript } from '@codemirror/lang-javascript';
import { keyboardScrollable } from './keyboard-scroll';
import { json } from '@codemirror/lang-json';
import { python } from '@codemirror/lang-python';
import { diagnosticCount } from '@codemirror/lint';
import { codeLinter, setRuntimeMark, type ModuleKind, type RuntimeMark } from './lint';
import { codeTheme } from './theme';

export type { ModuleKind, RuntimeMark };

export interface CodeEditorOptions {
  parent: HTMLElement;
  /** This response's CSP nonce: CodeMirror's <style> element is blocked without it. */
  nonce: string;
  readOnly: boolean;
  /** How the sandbox would load `path` (ESM or CommonJS decides which syntax is an error). */
  moduleKindOf(path: string): ModuleKind;
  /** After every edit of `path`. */
  onChange(path: string, doc: Text): void;
}

export interface CodeEditor {
  /** Shows `path`, creating its state from `text` the first time. */
  open(path: string, text: string): void;
  /** The path shown, if any. */
  readonly current: string | undefined;
  /** The text of `path` as edited (undefined when it was never opened). */
  text(path: string): string | undefined;
  rename(from: string, to: string): void;
  remove(path: string): void;
  /** Forgets every file (a new bundle was loaded). */
  clear(): void;
  /** Marks a line of `path` with the sandbox's error (opening it first), or clears marks. */
  mark(path: string, text: string, mark: RuntimeMark): void;
  clearMarks(): void;
  /** Problems the linter shows in the open file. */
  diagnosticCount(): number;
  focus(): void;
  destroy(): void;
}

const filePath = Facet.define<string, string>({ combine: (values) => values[0] ?? '' });

/**
 * Typing over a selection goes through a transaction instead of the browser's own editing:
 * Chromium keeps the deleted token's look (an italic comment, a keyword's colour) by wrapping the
 * new text in a `style` attribute, which the strict CSP blocks and reports as a violation.
 * Input handlers (closeBrackets wrapping a selection) still get their say, as in CodeMirror's own path.
 */
const typeOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    const { selection } = view.state;
    if (event.inputType !== 'insertText' || event.data == null || view.composing || (selection.ranges.length === 1 && selection.main.empty)) return false;
    event.preventDefault();
    if (view.state.readOnly) return true;
    const text = event.data;
    const { from, to } = selection.main;
    const insert = () => view.state.update(view.state.replaceSelection(text), { userEvent: 'input.type', scrollIntoView: true });
    if (!view.state.facet(EditorView.inputHandler).some((handler) => handler(view, from, to, text, insert))) view.dispatch(insert());
    return true;
  },
});

function languageOf(path: string): Extension {
  if (path.endsWith('.json')) return json();
  if (path.endsWith('.py')) return python();
  if (/\.(m|c)?js$/.test(path)) return javascript();
  if (/\.tsx?$/.test(path)) return javascript({ typescript: true, jsx: path.endsWith('x') });
  return [];
}

export function createCodeEditor(options: CodeEditorOptions): CodeEditor {
  const states = new Map<string, EditorState>();
  let current: string | undefined;

  const shared: Extension = [
    basicSetup,
    typeOverSelection,
    EditorView.cspNonce.of(options.nonce),
    codeTheme,
    EditorState.readOnly.of(options.readOnly),
    codeLinter((state) => options.moduleKindOf(state.facet(filePath))),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.facet(filePath), update.state.doc);
    }),
  ];

  const stateFor = (path: string, text: string): EditorState =>
    EditorState.create({
      doc: text,
      extensions: [
        shared,
        filePath.of(path),
        languageOf(path),
        EditorView.contentAttributes.of({ 'aria-label': `Code of ${path}${options.readOnly ? ' (read only)' : ''}` }),
      ],
    });

  const view = new EditorView({ parent: options.parent, state: EditorState.create({ extensions: [EditorView.cspNonce.of(options.nonce), codeTheme, EditorState.readOnly.of(true), EditorView.contentAttributes.of({ 'aria-label': 'No file open' })] }) });
  keyboardScrollable(view);

  const show = (path: string, text: string) => {
    if (current === path) return;
    if (current !== undefined && states.has(current)) states.set(current, view.state);
    let state = states.get(path);
    if (!state) states.set(path, (state = stateFor(path, text)));
    view.setState(state);
    current = path;
  };

  const stateOf = (path: string) => (path === current ? view.state : states.get(path));

  return {
    open: show,
    get current() { return current; },
    text: (path) => stateOf(path)?.doc.toString(),
    rename(from, to) {
      const state = stateOf(from);
      states.delete(from);
      if (!state) return;
      const renamed = stateFor(to, state.doc.toString());
      states.set(to, renamed);
      if (current === from) {
        view.setState(renamed);
        current = to;
      }
    },
    remove(path) {
      states.delete(path);
      if (current === path) current = undefined;
    },
    clear() {
      states.clear();
      current = undefined;
    },
    mark(path, text, mark) {
      show(path, text);
      view.dispatch({ effects: setRuntimeMark.of(mark), selection: { anchor: view.state.doc.line(Math.min(Math.max(mark.line, 1), view.state.doc.lines)).from }, scrollIntoView: true });
    },
    clearMarks() {
      for (const [path, state] of states) if (path !== current) states.set(path, state.update({ effects: setRuntimeMark.of(null) }).state);
      if (current !== undefined) view.dispatch({ effects: setRuntimeMark.of(null) });
    },
    diagnosticCount: () => diagnosticCount(view.state),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

