import { Link } from 'react-router';
import { PageTitle } from '../components/PageTitle';

export default function NotFoundPage() {
  return (
    <section className="xf-section">
      <PageTitle title="页面不存在">没有找到这个页面（网上信访）</PageTitle>
      <p>
        请返回 <Link to="/">首页</Link>，或 <Link to="/track">凭查询码查询办理进度</Link>。
      </p>
    </section>
  );
}
