/** 我的信访: the citizen's cases, newest first. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Empty, Skeleton, Tag } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { PageTitle } from '../components/PageTitle';
import { RequireCitizen } from '../components/RequireCitizen';
import { countdown } from '../components/Deadlines';
import { formatDate } from '../components/CaseDetail';
import type { MyCaseItem } from '../types';

function MyCases() {
  const [items, setItems] = useState<MyCaseItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<{ items: MyCaseItem[] }>('/api/my/cases').then((r) => setItems(r.items), (e: unknown) => setError(errorMessage(e)));
  }, []);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!items) return <Skeleton active />;
  if (items.length === 0) {
    return (
      <Empty description="您还没有提交过信访件">
        <Link to="/submit" className="xf-cta">
          我要投诉
        </Link>
      </Empty>
    );
  }
  return (
    <ul className="xf-card-list">
      {items.map((c) => {
        const next = c.deadlines[0];
        return (
          <li key={c.id}>
            <Link to={`/my/${c.id}`} className="xf-card-link">
              <div className="xf-meta">
                <Tag>{c.stateLabel}</Tag>
                <span>{c.caseNo}</span>
                <span>{formatDate(c.submittedAt)}</span>
              </div>
              <h2>{c.title}</h2>
              <div className="xf-meta">
                <span>{c.category}</span>
                <span>{c.regionName}</span>
                {next && (
                  <span className={next.overdue ? 'xf-overdue' : undefined}>
                    {next.label} {next.due}（{countdown(next)}）
                  </span>
                )}
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export default function MyCasesPage() {
  return (
    <>
      <PageTitle>我的信访</PageTitle>
      <RequireCitizen>{() => <MyCases />}</RequireCitizen>
    </>
  );
}
