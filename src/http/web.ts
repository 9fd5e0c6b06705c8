/** Serves the built SPA (web/dist): assets with long caching, every other page path gets index.html. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** True when the SPA has been built. */
export function hasWeb(): boolean {
  return fs.existsSync(path.join(webDist, 'index.html'));
}

export async function installWeb(app: FastifyInstance): Promise<void> {
  if (!hasWeb()) return;
  await app.register(fastifyStatic, {
    root: webDist,
    wildcard: false,
    index: false,
    // Vite names assets by content hash, so they never change under the same URL.
    maxAge: '365d',
    immutable: true,
  });
}

/** The SPA shell for a page path (not /api), or null when no SPA is built. */
export function spaShell(): Buffer | null {
  return hasWeb() ? fs.readFileSync(path.join(webDist, 'index.html')) : null;
}
