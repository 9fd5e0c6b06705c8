/** The 督办件 of one case on the case page, and 发起督办 for supervisors. */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, List, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../shared/api';
import { OpenSupervisionModal } from './OpenSupervisionModal';
import { SupervisionStatus } from './statusTags';
import type { Supervision } from './types';

interface Props {
  caseId: string;
  caseTitle: string;
  caseNo: string;
  currentUnitId: string;
  canOpen: boolean;
  onChanged: () => void;
}

export function CaseSupervisions({ caseId, caseTitle, caseNo, currentUnitId, canOpen, onChanged }: Props) {
  const { message } = App.useApp();
  const [items, setItems] = useState<Supervision[] | null>(null);
  const [opening, setOpening] = useState(false);
  const load = useCallback(() => {
    api
      .get<{ items: Supervision[] }>(`/api/office/supervisions?caseId=${caseId}`)
      .then((r) => setItems(r.items))
      .catch(() => setItems(null));
  }, [caseId]);
  useEffect(load, [load]);
  if (!canOpen && (!items || items.length === 0)) return null;
  return (
    <Card
      size="small"
      title="督办件"
      style={{ marginBottom: 12 }}
      extra={
        canOpen && (
          <Button size="small" danger onClick={() => setOpening(true)}>
            发起督办
          </Button>
        )
      }
    >
      {!items || items.length === 0 ? (
        <Typography.Text type="secondary">本件尚无督办件。</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(s) => (
            <List.Item actions={[<Link key="v" to={`/office/supervisions/${s.id}`}>查看</Link>]}>
              <Space wrap size={6}>
                <SupervisionStatus s={s} />
                <span>
                  {s.byUnitName} → {s.unitName}
                </span>
                <Typography.Text type="secondary">报告期限 {s.dueDate ?? '—'}</Typography.Text>
                <Typography.Text ellipsis style={{ maxWidth: 360 }}>
                  {s.problem}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      {opening && (
        <OpenSupervisionModal
          caseIds={[caseId]}
          titles={{ [caseId]: `${caseNo} ${caseTitle}` }}
          unitId={currentUnitId}
          onCancel={() => setOpening(false)}
          onDone={(s) => {
            setOpening(false);
            void message.success(`已发起督办，${s.unitName}应于 ${s.dueDate} 前书面报告`);
            load();
            onChanged();
          }}
        />
      )}
    </Card>
  );
}
