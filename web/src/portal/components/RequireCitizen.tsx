/** Pages only a logged-in citizen may use: others go to the login page and come back afterwards. */
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Alert, Spin } from 'antd';
import { useSession, type Me } from '../../shared/session';

export function RequireCitizen({ children }: { children: (me: Me) => ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Spin className="xf-page-spin" aria-label="正在加载" />;
  if (!me) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.kind !== 'citizen') {
    return (
      <Alert
        type="warning"
        showIcon
        title="您当前以工作人员身份登录"
        description={
          <>
            信访人功能需以本人实名账号登录。请先退出，或前往 <a href="/office">工作平台</a>。
          </>
        }
      />
    );
  }
  return <>{children(me)}</>;
}
