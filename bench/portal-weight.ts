/**
 * node --import tsx bench/portal-weight.ts
 *
 * The portal's first-load JavaScript per page, in gzip bytes, from a production build: the entry
 * chunk, the portal shell and the page's lazily loaded chunk with everything they import
 * statically (Vite's manifest). Target (issue 3): ≤ 250 KB for the home, submit and track pages,
 * and no staff (office) code on any portal page. Exits 1 when a target is missed.
 * The browser test (test/e2e/portal.test.ts) measures the same thing from the network.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-portal-weight-'));
execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--manifest', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
const manifest = JSON.parse(fs.readFileSync(path.join(out, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
const gz = new Map<string, number>();
const gzipOf = (file: string) => {
  let n = gz.get(file);
  if (n === undefined) {
    n = zlib.gzipSync(fs.readFileSync(path.join(out, file)), { level: 9 }).length;
    gz.set(file, n);
  }
  return n;
};
const closure = (keys: string[], seen = new Set<string>()): Set<string> => {
  for (const k of keys) {
    if (seen.has(k) || !manifest[k]) continue;
    seen.add(k);
    closure(manifest[k].imports ?? [], seen);
  }
  return seen;
};

const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
const shell = Object.keys(manifest).find((k) => k.endsWith('portal/PortalApp.tsx'))!;
const pages = Object.keys(manifest).filter((k) => k.includes('portal/pages/') && manifest[k]!.isDynamicEntry);
const targets = new Set(['HomePage', 'SubmitPage', 'TrackPage']);
let failed = false;
const rows: { page: string; gzipBytes: number; chunks: number; target: string }[] = [];
for (const p of pages.sort()) {
  const files = [...closure([entry, shell, p])].map((k) => manifest[k]!.file);
  const bytes = files.reduce((s, f) => s + gzipOf(f), 0);
  const name = path.basename(p, '.tsx');
  const office = files.some((f) => /OfficeApp/.test(f));
  const miss = (targets.has(name) && bytes > 250_000) || office;
  failed ||= miss;
  rows.push({ page: name, gzipBytes: bytes, chunks: files.length, target: targets.has(name) ? (miss ? '超出 250 KB ✗' : '≤ 250 KB ✓') : office ? '含工作台代码 ✗' : '' });
}
console.table(rows);
fs.rmSync(out, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
