/** 阳光信访 public statistics (GET /api/public/stats): aggregated, small cells withheld; no charts library. */
import { useEffect, useState } from 'react';
import { api } from '../../shared/api';

interface Cell {
  key: string;
  label: string;
  total: number | null;
  onlineShare: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}
interface PublicStatsBody {
  year: number;
  minCount: number;
  total: Cell;
  byMonth: Cell[];
  byCategory: Cell[];
  byCity: Cell[];
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '—' : String(v));

function CellTable({ caption, first, cells }: { caption: string; first: string; cells: Cell[] }) {
  return (
    <table className="xf-stats-table" style={{ width: '100%', borderCollapse: 'collapse', marginBottom: 12, fontSize: 14 }}>
      <caption style={{ textAlign: 'left', fontWeight: 600, padding: '4px 0' }}>{caption}</caption>
      <thead>
        <tr>
          {[first, '件数', '网上占比', '按期办结率', '满意率'].map((h) => (
            <th key={h} scope="col" style={{ textAlign: h === first ? 'left' : 'right', borderBottom: '1px solid #ddd', padding: '4px 6px' }}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {cells.map((c) => (
          <tr key={c.key}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 400, padding: '4px 6px' }}>
              {c.label}
            </th>
            <td style={{ textAlign: 'right', padding: '4px 6px' }}>{num(c.total)}</td>
            <td style={{ textAlign: 'right', padding: '4px 6px' }}>{pct(c.onlineShare)}</td>
            <td style={{ textAlign: 'right', padding: '4px 6px' }}>{pct(c.onTimeRate)}</td>
            <td style={{ textAlign: 'right', padding: '4px 6px' }}>{pct(c.satisfactionRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PublicStats() {
  const [data, setData] = useState<PublicStatsBody | null>(null);
  useEffect(() => {
    let live = true;
    api
      .get<PublicStatsBody>('/api/public/stats')
      .then((d) => live && setData(d))
      .catch(() => undefined); // the statistics are an extra: the page works without them
    return () => {
      live = false;
    };
  }, []);
  if (!data) return null;
  return (
    <section aria-labelledby="public-stats" style={{ margin: '16px 0' }}>
      <h2 id="public-stats">{data.year} 年信访统计</h2>
      <CellTable caption="全年合计" first="年度" cells={[data.total]} />
      <details>
        <summary>按月、按类别、按城市</summary>
        <CellTable caption="按月" first="月份" cells={data.byMonth} />
        <CellTable caption="按问题类别" first="类别" cells={data.byCategory} />
        <CellTable caption="按城市" first="城市" cells={data.byCity} />
      </details>
      <p className="xf-lead" style={{ fontSize: 13 }}>
        统计口径：按收到日期计件数和网上占比；按答复期限计按期办结率；按答复日期计满意率。不足 {data.minCount} 件的数字不予公开（显示为“—”）。
      </p>
    </section>
  );
}
