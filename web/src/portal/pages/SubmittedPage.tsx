/** The receipt after submission: the query code large, with copy and print. */
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Alert, App, Button, Result, Skeleton } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { copyText } from '../../shared/clipboard';
import { PageTitle } from '../components/PageTitle';
import { RequireCitizen } from '../components/RequireCitizen';
import { formatTime } from '../components/CaseDetail';
import type { OwnerView } from '../types';

interface ReceiptState {
  id: string;
  caseNo: string;
  queryCode: string;
  earlier?: boolean;
  refused?: string[];
}

function Receipt({ id }: { id: string }) {
  const location = useLocation();
  const passed = (location.state ?? null) as ReceiptState | null;
  const { message } = App.useApp();
  const [view, setView] = useState<OwnerView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<OwnerView>(`/api/my/cases/${id}`).then(setView, (e: unknown) => setError(errorMessage(e)));
  }, [id]);

  const code = view?.queryCode ?? (passed?.id === id ? passed.queryCode : null);
  if (error && !code) return <Alert type="error" showIcon title={error} />;
  if (!code) return <Skeleton active />;
  const acceptDue = view?.deadlines.find((d) => d.clock === 'acceptance')?.due;

  return (
    <section className="xf-section xf-receipt" aria-labelledby="receipt-title">
      <Result status="success" title={<span id="receipt-title">提交成功，信访件已登记</span>} subTitle={`信访件编号 ${view?.caseNo ?? passed?.caseNo ?? ''}`} />
      {passed?.earlier && (
        <Alert
          type="warning"
          showIcon
          className="xf-noprint"
          title="网络中断前您提交的内容已经登记"
          description="之后修改的内容没有另行提交。如需补充，请在“我的信访”中留言。"
          style={{ marginBottom: 12, textAlign: 'left' }}
        />
      )}
      {passed?.refused && passed.refused.length > 0 && (
        <Alert type="warning" showIcon className="xf-noprint" title="以下附件未能上传" description={passed.refused.join('；')} style={{ marginBottom: 12, textAlign: 'left' }} />
      )}
      <p style={{ margin: 0 }}>您的查询码</p>
      <output className="xf-code" aria-label={`查询码 ${code}`} data-testid="query-code">
        {code}
      </output>
      <p>请抄下或截图保存查询码。凭查询码可随时查询办理进度，无需登录；请勿告诉无关的人。</p>
      <div className="xf-actions-row xf-noprint">
        <Button
          type="primary"
          size="large"
          onClick={() =>
            void copyText(code).then((ok) => (ok ? message.success('查询码已复制') : message.warning('无法自动复制，请长按查询码手动复制')))
          }
        >
          复制查询码
        </Button>
        <Button size="large" onClick={() => window.print()}>
          打印回执
        </Button>
      </div>
      {view && (
        <dl className="xf-receipt-facts">
          <dt>标题</dt>
          <dd>{view.title}</dd>
          <dt>提交时间</dt>
          <dd>{formatTime(view.submittedAt)}</dd>
          <dt>受理机关</dt>
          <dd>{view.receivingUnitName}</dd>
          {acceptDue && (
            <>
              <dt>告知是否受理</dt>
              <dd>{acceptDue} 前</dd>
            </>
          )}
        </dl>
      )}
      <p className="xf-noprint">
        <Link to={`/my/${id}`}>查看办理进度</Link> · <Link to="/">返回首页</Link>
      </p>
    </section>
  );
}

export default function SubmittedPage() {
  const { id = '' } = useParams();
  return (
    <div className="xf-form-narrow">
      <PageTitle title="提交成功">信访回执</PageTitle>
      <RequireCitizen>{() => <Receipt id={id} />}</RequireCitizen>
    </div>
  );
}
