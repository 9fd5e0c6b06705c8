/** 查询办理进度: by query code, without logging in (/track, /track/:code). */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Skeleton } from 'antd';
import { api, ApiError, errorMessage } from '../../shared/api';
import { useSession } from '../../shared/session';
import { normalizeQueryCode } from '../../shared/validation';
import { CaseDetail } from '../components/CaseDetail';
import { PageTitle } from '../components/PageTitle';
import { QueryCodeForm } from '../components/QueryCodeForm';
import type { TrackingView } from '../types';

export default function TrackPage() {
  const { code } = useParams();
  const normalized = code ? normalizeQueryCode(code) : null;
  const { me } = useSession();
  const [view, setView] = useState<TrackingView | null>(null);
  const [error, setError] = useState<{ field: boolean; text: string } | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setView(null);
    setError(null);
    if (!code) return;
    if (!normalized) {
      setError({ field: true, text: '查询码格式不正确：应为 16 位字母或数字' });
      return;
    }
    let live = true;
    setLoading(true);
    api
      .get<TrackingView>(`/api/track/${encodeURIComponent(normalized)}`)
      .then(
        (v) => live && setView(v),
        (e: unknown) => live && setError({ field: e instanceof ApiError && (e.status === 400 || e.status === 404), text: errorMessage(e) }),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [code, normalized]);

  const hint = view ? (
    <Alert
      type="info"
      showIcon
      title="如您是信访人本人"
      description={
        me?.kind === 'citizen' ? (
          <>
            请在 <Link to={`/my/${view.id}`}>我的信访</Link> 中阅读文书、留言{view.awaitingPetitioner.length > 0 ? '，办理上方需要您办理的事项' : ''}。
          </>
        ) : (
          <>
            <Link to={`/login?next=${encodeURIComponent(`/my/${view.id}`)}`}>登录</Link> 后可阅读文书、留言
            {view.awaitingPetitioner.length > 0 ? '，并办理上方需要您办理的事项' : ''}。
          </>
        )
      }
      style={{ marginBottom: 16 }}
    />
  ) : null;

  return (
    <>
      <PageTitle>查询办理进度</PageTitle>
      <section className="xf-track-box" aria-label="输入查询码">
        <QueryCodeForm initial={normalized ?? code ?? ''} serverError={error?.field ? error.text : null} />
      </section>
      {error && !error.field && <Alert type="error" showIcon title={error.text} role="alert" />}
      {loading && <Skeleton active paragraph={{ rows: 6 }} />}
      {view && <CaseDetail view={view} loginHint={hint} />}
    </>
  );
}
