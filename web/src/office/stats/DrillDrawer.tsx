/** The cases behind one number (应计 / 达标 / 未达标), paged, exportable. */
import { useEffect, useState } from 'react';
import { Alert, Button, Drawer, Segmented, Space, Table } from 'antd';
import { Link } from 'react-router';
import { api, errorMessage } from '../../shared/api';
import { measureLabels, qs, type DrillItem, type Filters, type MeasureKey } from './types';

export interface Drill {
  measure: MeasureKey;
  part: 'due' | 'hit' | 'miss';
  groupBy?: string | undefined;
  level?: string | undefined;
  key?: string | undefined;
  label: string;
  /** Filters of the table the number came from, when not the page's (e.g. one county's categories). */
  filters?: Filters | undefined;
}

export function DrillDrawer({ drill, filters: pageFilters, onClose }: { drill: Drill | null; filters: Filters; onClose: () => void }) {
  const filters = drill?.filters ?? pageFilters;
  const [part, setPart] = useState<Drill['part']>('due');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; items: DrillItem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPart(drill?.part ?? 'due');
    setPage(1);
  }, [drill]);
  const query = drill ? qs(filters, { measure: drill.measure, part, groupBy: drill.groupBy, level: drill.level, key: drill.key, page, pageSize: 20 }) : '';
  useEffect(() => {
    if (!drill) return;
    let live = true;
    setError(null);
    // Never show the cases of the previous number while this one loads.
    setData(null);
    api
      .get<{ total: number; items: DrillItem[] }>(`/api/office/stats/cases?${query}`)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [drill, query]);
  const rateMeasure = drill && drill.measure !== 'volume' && drill.measure !== 'overdue';
  return (
    <Drawer open={drill !== null} onClose={onClose} width={Math.min(1000, window.innerWidth)} title={drill ? `${drill.label} · ${measureLabels[drill.measure]}` : ''}>
      {drill && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            {rateMeasure && (
              <Segmented
                value={part}
                onChange={(v) => {
                  setPart(v as Drill['part']);
                  setPage(1);
                }}
                options={[
                  { value: 'due', label: '应计（分母）' },
                  { value: 'hit', label: '达标（分子）' },
                  { value: 'miss', label: '未达标' },
                ]}
              />
            )}
            <Button href={`/api/office/stats/cases?${qs(filters, { measure: drill.measure, part, groupBy: drill.groupBy, level: drill.level, key: drill.key, pageSize: 1000, format: 'csv' })}`}>导出 CSV</Button>
            <Button href={`/api/office/stats/cases?${qs(filters, { measure: drill.measure, part, groupBy: drill.groupBy, level: drill.level, key: drill.key, pageSize: 1000, format: 'xlsx' })}`}>导出 Excel</Button>
          </Space>
          {error && <Alert type="error" message={error} />}
          <Table<DrillItem>
            rowKey="id"
            size="small"
            dataSource={data?.items ?? []}
            loading={data === null && error === null}
            pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (n) => `共 ${n} 件` }}
            columns={[
              { title: '编号', dataIndex: 'caseNo', render: (v: string, r) => <Link to={`/office/cases/${r.id}`}>{v}</Link> },
              { title: '标题', dataIndex: 'title', ellipsis: true },
              { title: '收到', dataIndex: 'receivedDate' },
              { title: '渠道', dataIndex: 'channelLabel' },
              { title: '类别', dataIndex: 'category' },
              { title: '地区', dataIndex: 'region' },
              { title: '状态', dataIndex: 'stateLabel' },
              { title: '当前单位', dataIndex: 'unit', ellipsis: true },
              { title: '答复期限', dataIndex: 'dueReply' },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
