/** One of my cases (GET /api/my/cases/:id): the full view with the acts only I may do. */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Skeleton } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { CaseActions } from '../components/CaseActions';
import { CaseDetail } from '../components/CaseDetail';
import { PageTitle } from '../components/PageTitle';
import { RequireCitizen } from '../components/RequireCitizen';
import type { OwnerView } from '../types';

function MyCase({ id }: { id: string }) {
  const [view, setView] = useState<OwnerView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setView(await api.get<OwnerView>(`/api/my/cases/${id}`));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  if (error && !view) return <Alert type="error" showIcon title={error} />;
  if (!view) return <Skeleton active paragraph={{ rows: 8 }} />;
  return <CaseDetail view={view} actions={<CaseActions view={view} onDone={load} />} onChanged={load} />;
}

export default function MyCasePage() {
  const { id = '' } = useParams();
  return (
    <>
      <p style={{ margin: '0 0 8px' }}>
        <Link to="/my">‹ 我的信访</Link>
      </p>
      <PageTitle>信访件详情</PageTitle>
      <RequireCitizen>{() => <MyCase id={id} />}</RequireCitizen>
    </>
  );
}
