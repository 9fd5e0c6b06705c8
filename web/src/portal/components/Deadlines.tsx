/** Due dates with a countdown in working days, as the server computed them. */
import type { Deadline } from '../types';

export function countdown(d: Deadline): string {
  if (d.overdue) return `已超期${d.workingDaysLeft < -1 ? ` ${-d.workingDaysLeft} 个工作日` : ''}`;
  if (d.workingDaysLeft <= 0) return '今天到期';
  return `还剩 ${d.workingDaysLeft} 个工作日`;
}

export function Deadlines({ items }: { items: Deadline[] }) {
  if (items.length === 0) return <p className="xf-muted">当前没有进行中的办理期限。</p>;
  return (
    <ul className="xf-deadlines">
      {items.map((d) => (
        <li key={d.clock}>
          <span>{d.label}</span>
          <span>
            <time dateTime={d.due}>{d.due}</time>{' '}
            <span className={d.overdue ? 'xf-overdue' : 'xf-muted'}>（{countdown(d)}）</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
