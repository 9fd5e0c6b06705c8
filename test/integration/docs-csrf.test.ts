/**
 * The API docs page (/api/docs): its "try it out" requests carry the CSRF header, so a logged-in
 * user's writes from the page are accepted, and the page's scripts are allowed by the CSP.
 */
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, newCaseBody, startTestApp, type TestApp } from '../support/harness.js';

describe.each(databases)('API docs page and CSRF (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the page loads its initializer from the same origin, and its request interceptor adds the CSRF header', async () => {
    const page = await t.request('GET', '/api/docs/');
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    const src = /<script src="([^"]*swagger-initializer\.js)"/.exec(page.body)?.[1];
    expect(src).toBeDefined();
    const init = await t.request('GET', new URL(src!, 'http://localhost/api/docs/').pathname);
    expect(init.statusCode).toBe(200);
    // Run the initializer as the browser would, capturing the configuration it hands to Swagger UI.
    let config: { requestInterceptor?: (r: { url: string; headers: Record<string, string> }) => { headers: Record<string, string> } } = {};
    const window: { onload?: () => void; location: { href: string } } = { location: { href: 'http://localhost/api/docs/static/index.html' } };
    const sandbox = {
      window,
      document: { createElement: () => ({ href: '' }), querySelector: () => null, body: {} },
      SwaggerUIBundle: Object.assign((c: typeof config) => ((config = c), { initOAuth() {} }), { presets: { apis: {} }, plugins: { DownloadUrl: {} } }),
      SwaggerUIStandalonePreset: {},
      MutationObserver: class {
        observe() {}
        disconnect() {}
      },
    };
    vm.runInNewContext(init.body, sandbox);
    window.onload!();
    expect(typeof config.requestInterceptor).toBe('function');
    const sent = config.requestInterceptor!({ url: '/api/cases', headers: {} });

    // A logged-in citizen "tries out" a submission from the docs page: accepted with the header…
    const citizen = await t.citizen();
    const ok = await t.request('POST', '/api/cases', { cookie: citizen.cookie, body: newCaseBody(), csrf: false, headers: sent.headers });
    expect(ok.statusCode, ok.body).toBe(201);
    // …and refused without it (the protection itself is intact).
    const bare = await t.request('POST', '/api/cases', { cookie: citizen.cookie, body: newCaseBody(), csrf: false });
    expect(bare.statusCode).toBe(403);
  });
});
