// A CodeMirror view's scroll area as a tab stop of its own, so the keyboard can scroll a file
// longer or wider than the view (axe's scrollable-region-focusable; CodeMirror sets it to -1, and
// a read-only view has no editable content to focus instead).
import type { EditorView } from '@codemirror/view';

export function keyboardScrollable(view: EditorView): void {
  view.scrollDOM.tabIndex = 0;
  view.scrollDOM.setAttribute('aria-label', 'Scroll the code');
}
