// CodeMirror's side-by-side MergeView for one file of two versions, read-only. Loaded with a
// dynamic import (its own chunk), styled through the page's CSP nonce, each side named for
// screen readers.
import { MergeView } from '@codemirror/merge';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { minimalSetup } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { keyboardScrollable } from '../editor/keyboard-scroll';

export interface MergeSides {
  path: string;
  left: string;
  right: string;
  leftLabel: string;
  rightLabel: string;
  nonce: string;
}

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--panel)', color: 'var(--text)', fontSize: '12.5px' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', border: 'none' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
});

function language(path: string): Extension {
  if (/\.(m|c)?[jt]sx?$/.test(path)) return javascript({ typescript: /\.tsx?$/.test(path) });
  if (path.endsWith('.json')) return json();
  return [];
}

function side(doc: string, label: string, path: string, nonce: string) {
  return {
    doc,
    extensions: [
      minimalSetup, lineNumbers(), language(path), theme,
      EditorState.readOnly.of(true), EditorView.editable.of(false),
      EditorView.cspNonce.of(nonce),
      EditorView.contentAttributes.of({ 'aria-label': `${path} in ${label}` }),
    ],
  };
}

/** Mounts the merge view in `parent`; returns its destroy function. */
export function mountMergeView(parent: HTMLElement, sides: MergeSides): () => void {
  const view = new MergeView({
    a: side(sides.left, sides.leftLabel, sides.path, sides.nonce),
    b: side(sides.right, sides.rightLabel, sides.path, sides.nonce),
    parent,
    collapseUnchanged: { margin: 3, minSize: 6 },
    gutter: true,
  });
    keyboardScrollable(view.a);
  keyboardScrollable(view.b);
  return () => view.destroy();
}
