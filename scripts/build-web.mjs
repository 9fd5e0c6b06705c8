// Builds the SPA when web/dist is missing or older than its sources, so `npm start` always serves
// the current pages without a separate build step.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'web/dist/index.html');
const newest = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = path.join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
const sources = Math.max(newest(path.join(root, 'web/src')), fs.statSync(path.join(root, 'web/index.html')).mtimeMs, fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs);
const force = process.argv.includes('--force');
if (force || !fs.existsSync(dist) || fs.statSync(dist).mtimeMs < sources) {
  console.log('正在构建网页（首次启动约需半分钟）…');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Under vitest NODE_ENV is 'test', which would bundle React's development build (+70 KB gzip).
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
