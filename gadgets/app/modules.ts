/** The modules the front page and the navigation list, in order. `portalType` is what a module's list shows. */
export interface ModuleEntry {
  label: string;
  href: string;
  description: string;
  portalType?: string;
}

export const modules: readonly ModuleEntry[] = [
  { label: 'Data Streams', href: '#/streams', portalType: 'Data Stream', description: 'Raw recordings and imported files, append-only.' },
  { label: 'Data Arrays', href: '#/arrays', portalType: 'Data Array', description: 'Typed, chunked arrays: decoded signals and spectra.' },
  { label: 'Images', href: '#/images', portalType: 'Image', description: 'Saved plots and spectrograms.' },
  { label: 'Notebooks', href: '#/notebooks', portalType: 'Notebook', description: 'Notes and processing recipes.' },
  { label: 'Remotes', href: '#/remotes', portalType: 'Remote', description: 'Sync targets: servers to sync with when online.' },
  { label: 'Settings', href: '#/settings', description: 'Storage, persistence, app version.' },
];
