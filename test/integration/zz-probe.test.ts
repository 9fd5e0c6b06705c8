import { it } from 'vitest';
import { newCase, startTestApp } from '../support/harness.js';
it('probe', async () => {
  const t = await startTestApp('sqlite');
  const c = await newCase(t);
  const a = await t.staff('zd.acceptor');
  for (const [m, u, body, ct] of [
    ['HEAD', `/api/track/${c.queryCode}`],
    ['OPTIONS', '/api/cases'],
    ['HEAD', `/api/office/cases/${c.id}`],
    ['GET', `/api/office/cases?${'a=1&'.repeat(2000)}`],
    ['GET', `/api/office/cases?state=submitted&state=accepted`],
    ['GET', `/api/office/cases?state[]=submitted`],
    ['GET', `/api/office/cases?page=1&page=2`],
    ['POST', `/api/office/cases/${c.id}/actions/accept`, '{"a":1}', 'application/json; charset=utf-16'],
    ['POST', `/api/office/cases/${c.id}/actions/accept`, '[]', 'application/json'],
    ['POST', `/api/office/cases/${c.id}/actions/accept`, '{"__proto__":{"x":1}}', 'application/json'],
    ['POST', `/api/office/cases/${c.id}/actions/accept`, '{"constructor":{"prototype":{"x":1}}}', 'application/json'],
    ['TRACE', '/api/health'],
    ['PATCH', `/api/office/cases/${c.id}`, '{}', 'application/json'],
    ['GET', '/api/health?x=%zz'],
    ['GET', '/api/office/cases?q=%zz'],
  ] as [string, string, string?, string?][]) {
    const r = await t.app.inject({ method: m as 'GET', url: u, headers: { cookie: a, 'x-requested-with': 'xinfang', ...(ct ? { 'content-type': ct } : {}) }, ...(body ? { payload: body } : {}) });
    console.log(m, u.slice(0, 60), r.statusCode, r.body.slice(0, 150));
  }
  await t.close();
}, 60000);
