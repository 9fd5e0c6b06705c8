/** 阳光信访: the year's public figures and the cases published with consent, personal data removed. */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Empty, Pagination, Skeleton, Tag } from 'antd';
import { NativeSelect } from '../components/NativeSelect';
import { api, errorMessage } from '../../shared/api';
import { PageTitle } from '../components/PageTitle';
import { PublicStats } from '../components/PublicStats';
import { PublicTypicalCases } from '../components/PublicTypicalCases';
import { useCatalog } from '../catalog';
import type { SunshinePage as Page } from '../types';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function Figures({ f }: { f: Page['figures'] }) {
  return (
    <>
      <div className="xf-figures" role="list" aria-label={`${f.year} 年公开数据`}>
        <div className="xf-figure" role="listitem">
          <div className="xf-figure-label">{f.year} 年收到信访件</div>
          <div className="xf-figure-value">{f.received.toLocaleString('zh-CN')} 件</div>
          <div className="xf-figure-note">网上、信箱、来信来访等全部渠道</div>
        </div>
        <div className="xf-figure" role="listitem">
          <div className="xf-figure-label">按期答复率</div>
          <div className="xf-figure-value">{pct(f.onTimeRate)}</div>
          <div className="xf-figure-note">
            应答复 {f.repliesDue} 件，按期答复 {f.repliedOnTime} 件
          </div>
        </div>
        <div className="xf-figure" role="listitem">
          <div className="xf-figure-label">群众满意率</div>
          <div className="xf-figure-value">{pct(f.satisfactionRate)}</div>
          <div className="xf-figure-note">
            已评价 {f.evaluated} 件，满意和基本满意 {f.satisfied} 件
          </div>
        </div>
        <div className="xf-figure" role="listitem">
          <div className="xf-figure-label">公开案例</div>
          <div className="xf-figure-value">{f.published} 件</div>
          <div className="xf-figure-note">经信访人同意、去除个人信息</div>
        </div>
      </div>
      <p className="xf-muted">数据截至 {f.asOf}，由系统根据办理记录自动统计。按期答复率＝按期答复件数 ÷ 本年应答复件数（含已超期未答复）。</p>
    </>
  );
}

export default function SunshinePage() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const category = params.get('category') ?? undefined;
  const { catalog } = useCatalog();
  const [data, setData] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const q = new URLSearchParams({ page: String(page), pageSize: '10', ...(category ? { category } : {}) });
    api.get<Page>(`/api/public/sunshine?${q}`).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [page, category]);

  const go = (p: number, c: string | undefined) => setParams({ ...(p > 1 ? { page: String(p) } : {}), ...(c ? { category: c } : {}) });

  return (
    <>
      <PageTitle>阳光信访</PageTitle>
      <p className="xf-lead">信访事项办理过程公开、结果公开。以下案例经信访人同意并由信访部门审核，已去除个人信息。</p>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {data ? <Figures f={data.figures} /> : !error && <Skeleton active />}
      <PublicStats />
      <section aria-labelledby="sunshine-list">
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between', margin: '8px 0 12px' }}>
          <h2 id="sunshine-list" style={{ margin: 0 }}>
            公开案例
          </h2>
          {catalog && (
            <NativeSelect
              aria-label="按问题类别筛选"
              placeholder="全部类别"
              value={category}
              onChange={(c) => go(1, c)}
              options={catalog.categories.map((c) => ({ value: c.code, label: c.name }))}
              style={{ width: 'auto', minWidth: 160 }}
            />
          )}
        </div>
        {data && data.items.length === 0 && <Empty description="暂无公开案例" />}
        <ul className="xf-card-list">
          {data?.items.map((it) => (
            <li key={it.id}>
              <article className="xf-published" aria-labelledby={`pub-${it.id}`}>
                <div className="xf-meta">
                  <Tag>{it.category}</Tag>
                  <span>{it.regionName}</span>
                  <span>收到 {it.receivedDate}</span>
                  {it.repliedDate && <span>答复 {it.repliedDate}</span>}
                  {it.evaluation && <span>评价：{it.evaluation}</span>}
                </div>
                <h2 id={`pub-${it.id}`} style={{ marginTop: 6 }}>
                  {it.title}
                </h2>
                <h3>反映内容</h3>
                <p className="xf-pre" style={{ marginTop: 0 }}>
                  {it.content}
                </p>
                <h3>答复{it.answerUnitName ? `（${it.answerUnitName}）` : ''}</h3>
                <p className="xf-pre" style={{ marginTop: 0 }}>
                  {it.answer}
                </p>
              </article>
            </li>
          ))}
        </ul>
        {data && data.total > data.pageSize && (
          <Pagination style={{ marginTop: 16, textAlign: 'center' }} current={page} pageSize={data.pageSize} total={data.total} onChange={(p) => go(p, category)} showSizeChanger={false} simple />
        )}
      </section>
      <PublicTypicalCases />
    </>
  );
}
