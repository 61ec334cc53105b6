import type { Page } from '@playwright/test';

// The e2e sync server (e2e/global-setup.ts) is locked down as `npm start` runs it: tests reach it directly as its
// admin, and the app signs in to it through the Remotes page like a user would.

/** The admin global-setup made. */
export function couchAdmin(): { name: string; password: string } {
  const admin = process.env.FIELDSCOPE_E2E_COUCH_ADMIN;
  if (!admin) throw new Error('FIELDSCOPE_E2E_COUCH_ADMIN is not set: run the e2e tests through Playwright (global setup starts the server).');
  return JSON.parse(admin) as { name: string; password: string };
}

/** A request to the sync server itself (not through the app), as its admin: `path` is relative to the server's root. */
export function couchFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const { name, password } = couchAdmin();
  const headers = new Headers(init.headers);
  headers.set('authorization', `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`);
  return fetch(`${process.env.FIELDSCOPE_E2E_COUCH as string}${path}`, { ...init, headers });
}

/** Fills the Remotes page's "Add a remote" form with the admin's name and password (the page must be open). */
export async function fillAdminSignIn(page: Page): Promise<void> {
  const { name, password } = couchAdmin();
  await page.getByLabel('Name (optional)').fill(name);
  await page.getByLabel('Password (optional)').fill(password);
}
