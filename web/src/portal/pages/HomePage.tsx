/** Home: the two doors (网上投诉, 领导信箱), the query-code box, and what is accepted before anyone writes a line. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Skeleton } from 'antd';
import { NativeSelect } from '../components/NativeSelect';
import { PageTitle } from '../components/PageTitle';
import { QueryCodeForm } from '../components/QueryCodeForm';
import { mailboxes, useCatalog } from '../catalog';
import type { Catalog } from '../types';

function clockText(c: Catalog, name: string, fallback: string): string {
  const k = c.clocks[name];
  if (!k) return fallback;
  return k.kind === 'working' ? `${k.days} 个工作日` : `${k.days} 日`;
}

function Doors({ catalog }: { catalog: Catalog }) {
  const navigate = useNavigate();
  const { governor, mayors } = mailboxes(catalog);
  const [mayor, setMayor] = useState<string | undefined>(undefined);
  return (
    <div className="xf-doors">
      <section className="xf-door" aria-labelledby="door-bureau">
        <h2 id="door-bureau">网上投诉</h2>
        <p>
          向信访局反映问题、提出建议或投诉。提交后立即登记并取得查询码，受理机关在 {clockText(catalog, 'acceptance', '2 个工作日')}
          内告知是否受理，受理后 {clockText(catalog, 'handling', '60 日')}内办理答复。
        </p>
        <Link to="/submit?target=bureau" className="xf-cta">
          我要投诉
        </Link>
      </section>
      <section className="xf-door" aria-labelledby="door-mailbox">
        <h2 id="door-mailbox">领导信箱</h2>
        <p>给省长、市长写信，反映问题或提出意见建议，由信箱办公室登记办理，同样可凭查询码查询。</p>
        {governor && (
          <Link to={`/submit?target=${encodeURIComponent(governor.code)}`} className="xf-cta xf-cta-secondary">
            写信到{governor.name}
          </Link>
        )}
        <label htmlFor="home-mayor" className="xf-visually-hidden">
          选择市长信箱
        </label>
        <div style={{ display: 'flex', gap: 8 }}>
          <NativeSelect
            id="home-mayor"
            style={{ flex: 1, minWidth: 0 }}
            placeholder="选择市长信箱"
            value={mayor}
            onChange={setMayor}
            options={mayors.map((m) => ({ value: m.code, label: m.name }))}
          />
          <Button size="large" disabled={!mayor} onClick={() => mayor && void navigate(`/submit?target=${encodeURIComponent(mayor)}`)}>
            写信
          </Button>
        </div>
      </section>
    </div>
  );
}

function Scope({ catalog }: { catalog: Catalog }) {
  return (
    <section className="xf-section" aria-labelledby="scope-title">
      <h2 id="scope-title">写信前请先了解：哪些事项可以反映</h2>
      <div className="xf-scope">
        <div>
          <h3>可以通过信访反映</h3>
          <ul>
            {catalog.acceptanceScope.accepted.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <h3 style={{ marginTop: 12 }}>不属于信访受理的事项</h3>
          <ul>
            {catalog.acceptanceScope.notAccepted.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </div>
        <div>
          <h3>这些事项请走法定途径（诉访分离）</h3>
          <ul className="xf-channels">
            {catalog.guidanceChannels
              .filter((g) => g.code !== 'other_authority')
              .map((g) => (
                <li key={g.code}>
                  <strong>{g.name}</strong>
                  {g.text}
                </li>
              ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

export default function HomePage() {
  const { catalog, error } = useCatalog();
  return (
    <>
      <div className="xf-hero">
        <PageTitle title="首页">网上信访平台</PageTitle>
        <p className="xf-lead">鼠标一点、即时送达：网上反映问题，凭查询码随时查看每一步办理情况。</p>
      </div>
      {error && <Alert type="error" showIcon title="页面数据加载失败" description={error} style={{ marginBottom: 16 }} />}
      {catalog ? <Doors catalog={catalog} /> : !error && <Skeleton active paragraph={{ rows: 4 }} />}
      <section className="xf-track-box" aria-labelledby="home-track">
        <h2 id="home-track">查询办理进度</h2>
        <QueryCodeForm id="home-track-form" />
        <p style={{ margin: '8px 0 0' }}>
          已注册的用户也可以在 <Link to="/my">我的信访</Link> 中查看全部信访件。
        </p>
      </section>
      {catalog && <Scope catalog={catalog} />}
      <section className="xf-section" aria-labelledby="home-sunshine">
        <h2 id="home-sunshine">阳光信访</h2>
        <p style={{ margin: 0 }}>
          经信访人同意、去除个人信息后公开的信访事项及其答复，以及本年度受理和办理数据。<Link to="/sunshine">查看阳光信访 ›</Link>
        </p>
      </section>
    </>
  );
}
