// One cell's editor: CodeMirror 6 with the JavaScript/TypeScript mode. Loaded with the notebook cells only.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';

export type RunKey = 'run-and-next' | 'run-in-place';

/**
 * `<fs-code-editor>`: `value` in, `change` events (detail: the text) and `run` events (detail: 'run-and-next' on
 * Shift+Enter, 'run-in-place' on Ctrl/Cmd+Enter) out. `language` picks the mode ('markdown' is plain text); `readOnly`
 * shows the code without letting it be edited.
 */
export class CodeEditor extends HTMLElement {
  private view: EditorView | undefined;
  private text = '';
  private mode = 'javascript';
  private locked = false;

  get value(): string {
    return this.view ? this.view.state.doc.toString() : this.text;
  }
  set value(text: string) {
    this.text = text;
    if (this.view && this.view.state.doc.toString() !== text) {
      this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
    }
  }
  set language(mode: string) {
    if (mode === this.mode) return;
    this.mode = mode;
    if (this.view) this.rebuild();
  }

  /** Read-only: highlighted and selectable (to copy), never edited (a snippet's page shows its code this way). */
  set readOnly(locked: boolean) {
    if (locked === this.locked) return;
    this.locked = locked;
    if (this.view) this.rebuild();
  }

  connectedCallback(): void {
    if (!this.view) this.rebuild();
  }

  disconnectedCallback(): void {
    this.view?.destroy();
    this.view = undefined;
  }

  override focus(): void {
    this.view?.focus();
  }

  private rebuild(): void {
    const text = this.value;
    this.view?.destroy();
    const run = (which: RunKey) => () => {
      this.dispatchEvent(new CustomEvent<RunKey>('run', { detail: which, bubbles: true, composed: true }));
      return true;
    };
    const extensions: Extension[] = [
      keymap.of([{ key: 'Shift-Enter', run: run('run-and-next') }, { key: 'Mod-Enter', run: run('run-in-place') }, ...defaultKeymap, ...historyKeymap]),
      history(),
      lineNumbers(),
      bracketMatching(),
      indentOnInput(),
      syntaxHighlighting(defaultHighlightStyle),
      EditorView.lineWrapping,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) {
          this.text = update.state.doc.toString();
          this.dispatchEvent(new CustomEvent<string>('change', { detail: this.text }));
        }
      }),
      EditorView.contentAttributes.of({ 'aria-label': this.getAttribute('aria-label') ?? 'Cell source' }),
    ];
    if (this.locked) extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
    if (this.mode === 'python') extensions.push(python());
    else if (this.mode !== 'markdown') extensions.push(javascript({ typescript: this.mode === 'typescript' }));
    const root = this.getRootNode();
    this.view = new EditorView({
      state: EditorState.create({ doc: text, extensions }),
      parent: this,
      // Inside a shadow root, CodeMirror mounts its styles there.
      ...(root instanceof ShadowRoot || root instanceof Document ? { root } : {}),
    });
  }
}

if (!customElements.get('fs-code-editor')) customElements.define('fs-code-editor', CodeEditor);
