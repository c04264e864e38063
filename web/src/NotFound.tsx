import { Link } from 'react-router';
import { PublicLayout } from './components/PublicLayout';
import { usePageTitle } from './hooks/usePageTitle';

/** Any address the app does not know. */
export function NotFound() {
  usePageTitle('Page not found');
  return (
    <PublicLayout>
      <h1 className="public-title">Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        Check the address, or go to the <Link to="/">Dashboard</Link>.
      </p>
    </PublicLayout>
  );
}
