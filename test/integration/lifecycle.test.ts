import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, databases, newCase, startTestApp, type TestApp } from '../support/harness.js';

describe.each(databases)('case lifecycle end to end (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks submitted → accepted → assigned → in_progress → replied → evaluated (closed), visible in tracking', async () => {
    const { id, queryCode, citizen } = await newCase(t);
    const acceptor = await t.staff('zd.acceptor');
    const dispatcher = await t.staff('zd.dispatcher');
    const handler = await t.staff('zd.handler');

    expect((await act(t, acceptor, id, 'accept')).json()).toMatchObject({ state: 'accepted' });
    expect((await act(t, dispatcher, id, 'assign', { unitId: '130123-zj' })).json()).toMatchObject({ state: 'assigned' });
    expect((await act(t, handler, id, 'sign')).json()).toMatchObject({ state: 'in_progress' });
    const reply = await act(t, handler, id, 'reply', { text: '经核查，已责令用工单位于本月底前足额支付工资。' });
    expect(reply.json()).toMatchObject({ state: 'replied' });

    const ev = await t.request('POST', `/api/cases/${id}/evaluation`, { cookie: citizen.cookie, body: { rating: 'satisfied', comment: '处理及时' } });
    expect(ev.statusCode).toBe(201);
    expect(ev.json()).toMatchObject({ state: 'closed', evaluation: 'satisfied' });

    const track = await t.request('GET', `/api/track/${queryCode.toLowerCase().replace(/-/g, ' ')}`);
    expect(track.statusCode).toBe(200);
    const view = track.json<{ state: string; timeline: { type: string }[]; replies: { text: string }[] }>();
    expect(view.state).toBe('closed');
    // Each notice to the petitioner (受理告知书, 双向责任书, 答复意见书) is a public document_issued event; the 交办函 is internal.
    expect(view.timeline.map((e) => e.type)).toEqual(['submitted', 'accepted', 'document_issued', 'assigned', 'signed', 'document_issued', 'replied', 'document_issued', 'evaluated', 'closed']);
    expect(view.replies[0]!.text).toContain('足额支付');
  });
});
