// Syntax checks before Deploy, without eval (the CSP forbids it): the Lezer parse tree's error
// nodes for JavaScript, import/export in a file the sandbox loads as CommonJS, JSON.parse for
// JSON; plus the sandbox's own error (a runtime mark) at the line it named. Part of the lazily
// loaded editor chunk.
import { StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { jsonParseLinter } from '@codemirror/lang-json';
import type { EditorView } from '@codemirror/view';

export type ModuleKind = 'esm' | 'cjs' | 'json' | 'other';

/** The sandbox's error shown at a line until that line is edited or the mark is replaced. */
export interface RuntimeMark {
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export const setRuntimeMark = StateEffect.define<RuntimeMark | null>();

/** The runtime mark as a range, mapped through edits; dropped when an edit touches its line. */
const runtimeMarkField = StateField.define<{ lineFrom: number; from: number; to: number; mark: RuntimeMark } | null>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setRuntimeMark)) {
        const mark = effect.value;
        if (!mark) return null;
        const line = tr.state.doc.line(Math.min(Math.max(mark.line, 1), tr.state.doc.lines));
        // The column can lie past the end of line 1 (the sandbox's CommonJS wrapper shares it).
        const from = mark.column >= 1 && mark.column <= line.length ? line.from + mark.column - 1 : line.from;
        return { lineFrom: line.from, from, to: Math.max(line.to, from), mark };
      }
    }
    if (!value || !tr.docChanged) return value;
    let touched = false;
    tr.changes.iterChangedRanges((fromA, toA) => { if (fromA <= value.to && toA >= value.lineFrom) touched = true; });
    const map = (pos: number) => tr.changes.mapPos(pos);
    return touched ? null : { ...value, lineFrom: map(value.lineFrom), from: map(value.from), to: map(value.to) };
  },
});

function unexpected(state: EditorState, from: number): string {
  if (from >= state.doc.length) return 'Syntax error: unexpected end of input';
  const line = state.doc.lineAt(from);
  const token = /^(\w+|\S)/.exec(state.doc.sliceString(from, line.to))?.[0];
  return token ? `Syntax error: unexpected '${token}'` : 'Syntax error: unexpected end of line';
}

/** At most one diagnostic per line: an error's recovery often leaves a trail of error nodes. */
function javascriptDiagnostics(state: EditorState, kind: ModuleKind): Diagnostic[] {
  const tree = ensureSyntaxTree(state, state.doc.length, 1000) ?? syntaxTree(state);
  const diagnostics: Diagnostic[] = [];
  const linesSeen = new Set<number>();
  const add = (from: number, to: number, message: string) => {
    const line = state.doc.lineAt(Math.min(from, state.doc.length)).number;
    if (linesSeen.has(line) || diagnostics.length >= 50) return;
    linesSeen.add(line);
    diagnostics.push({ from, to: Math.max(to, Math.min(from + 1, state.doc.length)), severity: 'error', source: 'syntax', message });
  };
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        add(node.from, node.to, unexpected(state, node.from));
        return false;
      }
      if (kind === 'cjs' && node.node.parent?.name === 'Script' && (node.name === 'ImportDeclaration' || node.name === 'ExportDeclaration')) {
        const word = node.name === 'ImportDeclaration' ? 'import' : 'export';
        add(node.from, node.from + word.length, `Cannot use ${word} in a CommonJS file: the sandbox loads .js as CommonJS unless package.json says "type": "module" (or name it .mjs)`);
      }
      return undefined;
    },
  });
  return diagnostics;
}

const parseJson = jsonParseLinter();

/** The linter of one file: syntax by kind, plus the runtime mark. */
export function codeLinter(kindOf: (state: EditorState) => ModuleKind): Extension {
  return [
    runtimeMarkField,
    lintGutter(),
    linter((view: EditorView) => {
      const { state } = view;
      const kind = kindOf(state);
      const found = kind === 'json' ? (state.doc.length ? parseJson(view) : []) : kind === 'other' ? [] : javascriptDiagnostics(state, kind);
      const runtime = state.field(runtimeMarkField);
      if (runtime) found.push({ from: runtime.from, to: runtime.to, severity: runtime.mark.severity, source: 'sandbox', message: runtime.mark.message });
      return found;
    }, {
      delay: 300,
      needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((effect) => effect.is(setRuntimeMark))),
    }),
  ];
}
