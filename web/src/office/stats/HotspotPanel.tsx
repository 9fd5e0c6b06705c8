/**
 * 热点 / 群体性苗头: clusters of cases from different petitioners about the same matter in one
 * county within the period (each with its cases), and the words rising fastest per city in a week.
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Empty, List, Row, Select, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import dayjs from 'dayjs';
import { api, errorMessage } from '../../shared/api';

interface Cluster {
  region: string;
  regionName: string;
  petitioners: number;
  words: string[];
  cases: { id: string; caseNo: string; title: string; receivedDate: string; state: string }[];
}

interface Trending {
  from: string;
  to: string;
  items: { region: string; regionName: string; cases: number; words: { word: string; count: number; lift: number }[] }[];
}

function useGet<T>(url: string | null): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    setError(null);
    api
      .get<T>(url)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [url]);
  return { data, error };
}

export function HotspotPanel({ from, to, region }: { from: string; to: string; region?: string | undefined }) {
  const [minPetitioners, setMin] = useState(3);
  const lastDay = to < dayjs().format('YYYY-MM-DD') ? to : dayjs().format('YYYY-MM-DD');
  const weeks = Array.from({ length: 8 }, (_, i) => dayjs(lastDay).subtract(7 * i, 'day').format('YYYY-MM-DD'));
  const [week, setWeek] = useState<string | null>(null);
  const weekEnd = week ?? weeks[0]!;
  const r = region ? `&region=${region}` : '';
  const clusters = useGet<{ items: Cluster[] }>(`/api/office/stats/hotspots?from=${from}&to=${to}&minPetitioners=${minPetitioners}${r}`);
  const trending = useGet<Trending>(`/api/office/stats/trending?week=${weekEnd}${r}`);
  return (
    <Card size="small" style={{ marginTop: 12 }} title="热点 / 群体性苗头">
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Space style={{ marginBottom: 8 }} wrap>
            <Typography.Text strong>相似事项聚集</Typography.Text>
            <Typography.Text type="secondary">同一县（市、区）、期间内不同信访人反映的相似事项，至少</Typography.Text>
            <Select
              size="small"
              aria-label="最少信访人数"
              value={minPetitioners}
              onChange={setMin}
              options={[2, 3, 5, 10].map((n) => ({ value: n, label: `${n} 人` }))}
              style={{ width: 80 }}
            />
          </Space>
          {clusters.error && <Alert type="error" message={clusters.error} />}
          {clusters.data && clusters.data.items.length === 0 && <Empty description="期间内没有达到人数的相似事项聚集" />}
          <List
            aria-label="热点聚集"
            dataSource={clusters.data?.items ?? []}
            renderItem={(c) => (
              <List.Item>
                <Space direction="vertical" style={{ width: '100%' }} size={4}>
                  <Space wrap>
                    <Typography.Text strong>{c.regionName}</Typography.Text>
                    <Tag color="volcano">{c.petitioners} 名信访人</Tag>
                    <Typography.Text type="secondary">{c.cases.length} 件</Typography.Text>
                    {c.words.map((w) => (
                      <Tag key={w}>{w}</Tag>
                    ))}
                  </Space>
                  <Space wrap size={[12, 0]}>
                    {c.cases.slice(0, 12).map((x) => (
                      <Link key={x.id} to={`/office/cases/${x.id}`} title={`${x.receivedDate} ${x.title}`}>
                        {x.caseNo}
                      </Link>
                    ))}
                    {c.cases.length > 12 && <Typography.Text type="secondary">等 {c.cases.length} 件</Typography.Text>}
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        </Col>
        <Col xs={24} lg={10}>
          <Space style={{ marginBottom: 8 }} wrap>
            <Typography.Text strong>上升词语</Typography.Text>
            <Select
              size="small"
              aria-label="选择周"
              value={weekEnd}
              onChange={setWeek}
              style={{ width: 210 }}
              options={weeks.map((w) => ({ value: w, label: `${dayjs(w).subtract(6, 'day').format('MM-DD')} 至 ${dayjs(w).format('MM-DD')}` }))}
            />
          </Space>
          {trending.error && <Alert type="error" message={trending.error} />}
          {trending.data && trending.data.items.every((i) => i.words.length === 0) && <Empty description="本周没有明显上升的词语" />}
          <List
            aria-label="各地上升词语"
            dataSource={(trending.data?.items ?? []).filter((i) => i.words.length > 0)}
            renderItem={(i) => (
              <List.Item>
                <Space wrap>
                  <Typography.Text strong>{i.regionName}</Typography.Text>
                  <Typography.Text type="secondary">本周 {i.cases} 件</Typography.Text>
                  {i.words.map((w) => (
                    <Tag key={w.word} color={w.lift >= 2 ? 'red' : undefined} title={`本周 ${w.count} 次，为此前四周周均的 ${w.lift} 倍`}>
                      {w.word} ×{w.lift}
                    </Tag>
                  ))}
                </Space>
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}
