/** Office-wide warning while next year's holiday data is missing (from 1 November), from GET /api/office/notices. */
import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { api } from '../shared/api';

interface Notices {
  calendarMissingYear: number | null;
}

export function CalendarNotice() {
  const [year, setYear] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    api.get<Notices>('/api/office/notices').then(
      (n) => live && setYear(n.calendarMissingYear),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (year === null) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      role="alert"
      title={`尚未导入 ${year} 年节假日安排：跨入 ${year} 年的办理期限按普通周末推算，可能不准确。请系统管理员在国务院办公厅发布通知后导入工作日历。`}
    />
  );
}
