import type { Storage } from '../../storage';
/** The modules the front page and the navigation list, in order. */
export interface ModuleEntry {
  /** Route path of the module's page (`arrays` → `#/arrays`). */
  path: string;
  label: string;
  description: string;
  /** For modules listing documents: what the list shows and where one document opens. */
  list?: {
    portalType: string;
    /** Route pattern of one document's page (see routes.ts). */
    itemPattern: string;
    /** Plural, lower case, for messages: "No data arrays yet." */
    noun: string;
    /** What to do when the list is empty. */
    emptyHint: string;
    /** Label of a button creating an empty document of this type, when users create them by hand. */
    createLabel?: string;
    /** Documents of this type made from a file the user picks (its code loads when a file is picked). */
    fileImport?: { label: string; accept: string; importer: () => Promise<FileImporter> };
    /** Ready-made documents the app ships: each button makes a new copy. */
    examples?: Array<{ label: string; open: () => Promise<(storage: Storage) => Promise<string>> }>;
  };
}

/** Stores a picked file as a new document; resolves to its id, or rejects with an error that says what is wrong. */
export type FileImporter = (storage: Storage, file: File) => Promise<string>;

const notebookFiles = () => import('../../compute/notebook/notebook-files');

export const modules: readonly ModuleEntry[] = [
  {
    path: 'streams',
    label: 'Data Streams',
    description: 'Raw recordings and imported files, append-only.',
    list: { portalType: 'Data Stream', itemPattern: 'stream/:id', noun: 'data streams', emptyHint: 'Import a file or record from the microphone to create one.' },
  },
  {
    path: 'arrays',
    label: 'Data Arrays',
    description: 'Typed, chunked arrays: decoded signals and spectra.',
    list: { portalType: 'Data Array', itemPattern: 'array/:id', noun: 'data arrays', emptyHint: 'Import a file, record from the microphone or generate a test signal above: each becomes an array here.' },
  },
  {
    path: 'images',
    label: 'Images',
    description: 'Saved plots and spectrograms.',
    list: { portalType: 'Image', itemPattern: 'image/:id', noun: 'images', emptyHint: 'Open a data array and tap “Save PNG” to keep its graph here.' },
  },
  {
    path: 'notebooks',
    label: 'Notebooks',
    description: 'Field notes and processing recipes.',
    list: {
      portalType: 'Notebook',
      itemPattern: 'notebook/:id',
      noun: 'notebooks',
      emptyHint: 'Create one with “New notebook”, import a Jupyter notebook, or open the example.',
      createLabel: 'New notebook',
      fileImport: { label: 'Import .ipynb', accept: '.ipynb,application/x-ipynb+json,application/json', importer: async () => (await notebookFiles()).importNotebookFile },
      examples: [
        {
          label: 'Example: spectrum of a recording',
          open: async () => {
            const { openExampleNotebook } = await notebookFiles();
            return (storage) => openExampleNotebook(storage, 'spectrum-of-a-recording.ipynb', import.meta.env.BASE_URL);
          },
        },
      ],
    },
  },
  {
    path: 'statistics',
    label: 'Statistics',
    description: 'Statistics per timeslice of arrays, kept and synced.',
    list: { portalType: 'Statistics', itemPattern: 'statistics/:id', noun: 'statistics', emptyHint: 'Open a data array with a time axis and tap “Statistics per hour, day…”: each result is kept here.' },
  },
  {
    path: 'snippets',
    label: 'Snippets',
    description: 'Reusable code with tags: run it, fork it, insert it into a notebook.',
    list: {
      portalType: 'Snippet',
      itemPattern: 'snippet/:id',
      noun: 'snippets',
      emptyHint: 'Fork a shipped snippet or make a new one.',
    },
  },
  {
    path: 'bibliography',
    label: 'Bibliography',
    description: 'References from BibTeX or typed in, cited from notebooks as [@key].',
    list: {
      portalType: 'Reference',
      itemPattern: 'reference/:id',
      noun: 'references',
      emptyHint: 'Import a .bib file or add a reference by hand.',
    },
  },
  {
    path: 'experiments',
    label: 'Experiments',
    description: 'Shots and runs: their time range, conditions, arrays and signals.',
    list: { portalType: 'Experiment', itemPattern: 'experiment/:id', noun: 'experiments', emptyHint: 'Create one with “New experiment”: arrays recorded during its time range belong to it.', createLabel: 'New experiment' },
  },
  {
    path: 'signals',
    label: 'Signals',
    description: 'Named signals, calibrated per experiment whatever port carried them.',
    list: { portalType: 'Signal', itemPattern: 'signal/:id', noun: 'signals', emptyHint: 'Create one with “New signal”, then bind it to an array and channel with its calibration.', createLabel: 'New signal' },
  },
  {
    path: 'error-reports',
    label: 'Error Reports',
    description: 'What failed on this device or others, with its stack: reports reach the server by sync.',
    list: { portalType: 'Error Report', itemPattern: 'error-report/:id', noun: 'error reports', emptyHint: 'Nothing has failed yet. When something does, its report is kept here and sent with the next sync.' },
  },
  { path: 'remotes', label: 'Remotes', description: 'Sync targets: servers to sync with when online.' },
  { path: 'settings', label: 'Settings', description: 'Storage, persistence, app version.' },
];

/** The module whose page is at `path`, if any. */
/** The route pattern of a document's page by its portal type (`Data Array` → `array/:id`); undefined for others. */
export function itemPatternOf(portalType: unknown): string | undefined {
  return modules.find((module) => module.list?.portalType === portalType)?.list?.itemPattern;
}

export function moduleAt(path: string): ModuleEntry | undefined {
  return modules.find((module) => module.path === path);
}

/**
 * The module a routed page belongs to, for the navigation's "you are here": a module's own page, a list page showing
 * it (`module` parameter), or one of its documents' pages (`array/:id` belongs to Data Arrays).
 */
export function moduleOfRoute(pattern: string, params: Record<string, string>): ModuleEntry | undefined {
  const first = pattern.split('/')[0] ?? '';
  return modules.find(
    (module) =>
      module.path === first ||
      module.path === params['module'] ||
      (module.list !== undefined && module.list.itemPattern.split('/')[0] === first),
  );
}
