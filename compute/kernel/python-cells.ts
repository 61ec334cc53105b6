// Python cells: CPython in WebAssembly (Pyodide), inside the kernel's worker, loaded the first time a Python cell
// runs (about 13 MB; the service worker keeps it, so Python runs offline after that). Python gets the same kernel API
// as JavaScript cells (`import fieldscope`, `display`, `html`): numpy is not available offline, since no registry
// package carries its WebAssembly wheel, so arrays are the API's typed arrays (indexable, iterable, `len()`).
import type { PyodideAPI } from 'pyodide';
import type { PyProxy } from 'pyodide/ffi';
import { REPR, type WithRepr } from './reprs';

/** Where the app serves Pyodide (scripts/pyodide-assets.mjs): beside the app, never a CDN, so it can run offline. */
const PYODIDE_URL = new URL(`${import.meta.env.BASE_URL}pyodide/`, import.meta.url).href;

/** Python could not be loaded (offline before the first Python cell, or the files are missing). */
export class PythonUnavailableError extends Error {
  override readonly name = 'PythonUnavailableError';
}

/** An exception raised by a Python cell, with Python's own traceback. */
export class PythonCellError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly traceback: string[],
  ) {
    super(message);
  }
}

export interface PythonHost {
  /** The kernel API, as JavaScript cells see it (`fieldscope`). */
  api: Record<string, unknown>;
  display: (value: unknown) => Promise<void>;
  html: (markup: string) => WithRepr;
  print: (name: 'stdout' | 'stderr', text: string) => void;
  /** A runtime file's bytes (`pyodide/<name>`), fetched by the page. */
  file: (name: string) => Promise<ArrayBuffer>;
}

/**
 * `import(url)` out of Vite's sight: for an import of a computed URL its dev server adds its client to the module,
 * whose "connected" log would land in a cell's output. The kernel's policy allows eval (its cells are eval'd too).
 */
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

/** Marks a Python value's repr crossing to JavaScript (see PRELUDE). */
const SHOWN_KEY = '__python_repr__';

export class PythonCells {
  private runtime: Promise<PyodideAPI> | undefined;

  constructor(private readonly host: PythonHost) {}

  /** Runs a cell in the kernel's one Python namespace; resolves to its last expression's value, shown as JS cells' are. */
  async run(code: string): Promise<unknown> {
    const pyodide = await this.load();
    try {
      const runCell = pyodide.globals.get('_fieldscope_run_cell') as (source: string) => Promise<unknown>;
      return fromShown(await runCell(code));
    } catch (thrown) {
      throw pythonError(thrown);
    }
  }

  private load(): Promise<PyodideAPI> {
    this.runtime ??= this.start().catch((error: unknown) => {
      this.runtime = undefined; // the next Python cell tries again (e.g. back online)
      const reason = error instanceof Error ? error.message : String(error);
      throw new PythonUnavailableError(`Python could not be loaded from ${PYODIDE_URL} (${reason}). It is downloaded once, the first time a Python cell runs while online, and kept for offline use after that.`);
    });
    return this.runtime;
  }

  /**
   * Every runtime file comes through the page (`host.file`): the modules are imported from object URLs of their
   * bytes, and Pyodide's own fetches (WebAssembly, standard library, lock file) are answered from the same source.
   */
  private async start(): Promise<PyodideAPI> {
    serveFetches(PYODIDE_URL, this.host.file);
    const moduleUrl = async (name: string) => URL.createObjectURL(new Blob([await this.host.file(name)], { type: 'text/javascript' }));
    const [runtime, module] = await Promise.all([moduleUrl('pyodide.mjs'), moduleUrl('pyodide.asm.mjs')]);
    const { loadPyodide } = (await importModule(runtime)) as typeof import('pyodide');
    const { default: createPyodideModule } = (await importModule(module)) as { default: NonNullable<Parameters<typeof loadPyodide>[0]>['createPyodideModule'] };
    const pyodide = await loadPyodide({ indexURL: PYODIDE_URL, createPyodideModule, checkAPIVersion: true });
    pyodide.setStdout({ batched: (line) => this.host.print('stdout', `${line}\n`) });
    pyodide.setStderr({ batched: (line) => this.host.print('stderr', `${line}\n`) });
    pyodide.registerJsModule('fieldscope', pythonFacing(pyodide, this.host.api));
    pyodide.registerJsModule('_fieldscope_page', {
      display: (shown: unknown) => this.host.display(fromShown(shown)),
      html: (markup: unknown) => this.host.html(String(markup)),
    });
    await pyodide.runPythonAsync(PRELUDE);
    return pyodide;
  }
}

const TYPES: Record<string, string> = { wasm: 'application/wasm', json: 'application/json', zip: 'application/zip', mjs: 'text/javascript' };

/** Answers this worker's fetches under `base` from `file`; every other fetch goes on as before. */
function serveFetches(base: string, file: (name: string) => Promise<ArrayBuffer>): void {
  const network = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? new URL(input, base).href : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(base)) return network(input, init);
    const name = url.slice(base.length).split(/[?#]/)[0] ?? '';
    const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    return file(name).then((bytes) => new Response(bytes, { headers: { 'content-type': type } }));
  };
}

function isPyProxy(pyodide: PyodideAPI, value: unknown): value is PyProxy {
  return value instanceof pyodide.ffi.PyProxy;
}

/** Python values as JS ones: dicts as plain objects, lists as arrays (what the kernel API takes). Pyodide owns the argument proxies. */
function toJs(pyodide: PyodideAPI, value: unknown): unknown {
  return isPyProxy(pyodide, value) ? value.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false }) : value;
}

/** The kernel API with each function taking Python arguments (converted) and answering as JS cells get it. */
function pythonFacing(pyodide: PyodideAPI, api: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(api).map(([name, member]) => [name, typeof member === 'function' ? (...args: unknown[]) => (member as (...a: unknown[]) => unknown)(...args.map((arg) => toJs(pyodide, arg))) : member]),
  );
}

/**
 * Run in the kernel's namespace once: a cell runs as IPython runs it (its last expression is its value), and what it
 * shows leaves Python as its repr (and `_repr_html_`), computed in Python, so `10.0` stays `10.0`; JavaScript values
 * (arrays, blobs, `html(...)`, `fieldscope.view(...)`) cross as they are.
 */
const PRELUDE = `
import pyodide.code as _fieldscope_code, pyodide.ffi as _fieldscope_ffi, js as _fieldscope_js, _fieldscope_page

def _fieldscope_shown(value):
    if value is None or isinstance(value, _fieldscope_ffi.JsProxy):
        return value
    markup = getattr(value, "_repr_html_", None)
    shown = {"${SHOWN_KEY}": repr(value), "html": markup() if callable(markup) else None}
    return _fieldscope_ffi.to_js(shown, dict_converter=_fieldscope_js.Object.fromEntries)

async def _fieldscope_run_cell(source):
    return _fieldscope_shown(await _fieldscope_code.eval_code_async(source, globals(), filename="<cell>"))

def display(value):
    return _fieldscope_page.display(_fieldscope_shown(value))

html = _fieldscope_page.html
`;

/** How a Python value comes out of `_fieldscope_shown`: its repr, and its HTML when it has one. */
function fromShown(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !(SHOWN_KEY in value)) return value;
  const { [SHOWN_KEY]: text, html } = value as Record<string, unknown>;
  const shown: WithRepr = { [REPR]: typeof html === 'string' ? { 'text/html': html, 'text/plain': String(text) } : { 'text/plain': String(text) } };
  return shown;
}

/** A Pyodide PythonError as ename/evalue/traceback: Python's traceback, without Pyodide's own frames. */
function pythonError(thrown: unknown): unknown {
  if (!(thrown instanceof Error) || thrown.constructor.name !== 'PythonError') return thrown;
  const type = (thrown as Error & { type?: string }).type ?? 'Exception';
  const lines = thrown.message.trimEnd().split('\n');
  const own: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (!/^\s*File "\/lib\/python[^"]*\/_pyodide\//.test(line)) {
      own.push(line);
      continue;
    }
    while (/^ {4}/.test(lines[index + 1] ?? '')) index += 1; // that frame's source line and its ^^^ markers
  }
  const last = lines.at(-1) ?? type;
  const value = last.startsWith(`${type}: `) ? last.slice(type.length + 2) : last === type ? '' : last;
  return new PythonCellError(type, value, own);
}
