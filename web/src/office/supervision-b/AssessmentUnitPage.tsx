/** A unit's own assessment page: its score, how every line is counted, and the cases behind every deduction. */
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Empty, List, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, errorMessage } from '../../shared/api';
import { fmt, lastQuarter, pct, periodOptions, type UnitPageData } from './types';

type Line = UnitPageData['lines'][number];

function CasesBehind({ l }: { l: Line }) {
  if (l.cases.length === 0) return <Typography.Text type="secondary">无扣分件</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={l.cases}
      footer={l.refTotal > l.cases.length ? `共 ${l.refTotal} 件，仅列出前 ${l.cases.length} 件` : undefined}
      renderItem={(c) => (
        <List.Item>
          {c.caseId ? <Link to={`/office/cases/${c.caseId}`}>{c.caseNo} {c.title}</Link> : <span>{c.title}</span>}
          {c.note && c.caseId && <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>{c.note}</Typography.Text>}
        </List.Item>
      )}
    />
  );
}

export default function AssessmentUnitPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? lastQuarter();
  const [d, setD] = useState<UnitPageData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    api
      .get<UnitPageData>(`/api/office/assessment/unit?${id ? `unit=${encodeURIComponent(id)}&` : ''}period=${period}`)
      .then(setD)
      .catch((e: unknown) => {
        setD(null);
        setError(errorMessage(e));
      });
  }, [id, period]);
  return (
    <div>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {d ? `${d.unitName} · 考核` : '单位考核'}
        </Typography.Title>
        <Select style={{ width: 180 }} value={period} onChange={(v: string) => setParams({ period: v })} options={periodOptions()} aria-label="考核期间" />
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {d && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert
            type={d.published ? 'success' : 'info'}
            showIcon
            title={d.published ? `${d.periodLabel}考核结果已发布（固定结果）` : `${d.periodLabel}（${d.from} 至 ${d.to}）实时计算，尚未发布`}
          />
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title="得分" value={fmt(d.total)} suffix={`/ ${fmt(d.max)}`} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title="扣分" value={fmt(d.deduction)} valueStyle={{ color: d.deduction > 0 ? '#cf1322' : undefined }} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={d.groupParentName ? `在${d.groupParentName}所属单位中排名` : '排名'} value={d.rank ?? '发布后公布'} suffix={d.rankOf ? `/ ${d.rankOf}` : undefined} />
              </Card>
            </Col>
          </Row>
          <Table
            rowKey="item"
            size="small"
            pagination={false}
            dataSource={d.lines}
            expandable={{ expandedRowRender: (l) => <CasesBehind l={l} />, rowExpandable: (l) => l.cases.length > 0, expandRowByClick: true }}
            columns={[
              { title: '考核项', dataIndex: 'label', render: (v: string, l) => <Space><span>{v}</span>{l.kind === 'penalty' && <Tag>扣分项</Tag>}</Space> },
              { title: '计算方法', dataIndex: 'rule', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
              { title: '分值', dataIndex: 'weight', width: 80, render: (v: number, l) => (l.kind === 'rate' ? fmt(v) : `每件 ${fmt(v)}`) },
              { title: '实际', key: 'actual', width: 150, render: (_: unknown, l) => (l.kind === 'rate' ? `${pct(l.rate)}（${l.hit}/${l.due}）` : `${l.hit} 件`) },
              { title: '得分', dataIndex: 'points', width: 80, render: (v: number) => fmt(v) },
              { title: '扣分', dataIndex: 'deduction', width: 80, render: (v: number) => (v > 0 ? <span style={{ color: '#cf1322' }}>−{fmt(v)}</span> : '0') },
              { title: '扣分依据', key: 'cases', width: 110, render: (_: unknown, l) => (l.cases.length > 0 ? <a>{l.refTotal} 件（展开）</a> : '—') },
            ]}
            locale={{ emptyText: <Empty /> }}
          />
        </Space>
      )}
    </div>
  );
}
