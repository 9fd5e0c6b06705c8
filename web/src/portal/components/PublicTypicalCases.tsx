/** 阳光信访: typical cases (典型案例) the bureau published with the petitioner's consent, personal data removed. */
import { useEffect, useState } from 'react';
import { Pagination, Tag } from 'antd';
import { api } from '../../shared/api';

interface Item {
  id: string;
  kind: 'good' | 'bad';
  kindLabel: string;
  title: string;
  summary: string;
  commentary: string;
  category: string;
  regionName: string;
  publishedDate: string | null;
}

export function PublicTypicalCases() {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; pageSize: number; items: Item[] } | null>(null);
  useEffect(() => {
    let live = true;
    api.get<{ total: number; pageSize: number; items: Item[] }>(`/api/public/typical-cases?page=${page}&pageSize=5`).then(
      (d) => live && setData(d),
      () => live && setData(null),
    );
    return () => {
      live = false;
    };
  }, [page]);
  if (!data || data.total === 0) return null;
  return (
    <section aria-labelledby="typical-list" style={{ marginTop: 24 }}>
      <h2 id="typical-list">典型案例</h2>
      <ul className="xf-card-list">
        {data.items.map((it) => (
          <li key={it.id}>
            <article className="xf-published" aria-labelledby={`typ-${it.id}`}>
              <div className="xf-meta">
                <Tag color={it.kind === 'good' ? 'green' : 'red'}>{it.kindLabel}</Tag>
                <Tag>{it.category}</Tag>
                <span>{it.regionName}</span>
                {it.publishedDate && <span>发布 {it.publishedDate}</span>}
              </div>
              <h3 id={`typ-${it.id}`} style={{ marginTop: 6 }}>
                {it.title}
              </h3>
              <p className="xf-pre" style={{ marginTop: 0 }}>
                {it.summary}
              </p>
              <p className="xf-pre" style={{ marginTop: 0 }}>
                <strong>点评：</strong>
                {it.commentary}
              </p>
            </article>
          </li>
        ))}
      </ul>
      {data.total > data.pageSize && <Pagination style={{ marginTop: 16, textAlign: 'center' }} current={page} pageSize={data.pageSize} total={data.total} onChange={setPage} showSizeChanger={false} simple />}
    </section>
  );
}
