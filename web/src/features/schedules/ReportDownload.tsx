// The page a mailed report's link opens (/report-download#token=…): no
// sign-in, since recipients may have no account. The token stays in the
// fragment (never sent in a URL, never logged); the page posts it and goes to
// the fresh link the API answers.

import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { api, ApiError } from '../../api';
import { Alert } from '../../components/Alert';
import { PublicLayout } from '../../components/PublicLayout';
import { usePageTitle } from '../../hooks/usePageTitle';
import { clearHash, tokenFromHash } from '../auth/passwordLink';
import { download } from '../exports/useExport';

type State =
  | { status: 'fetching' }
  | { status: 'ready'; url: string }
  | { status: 'missing' }
  | { status: 'expired' }
  | { status: 'invalid' }
  | { status: 'error'; message: string };

const PROBLEMS = {
  missing: { title: 'This link is incomplete', text: 'Open the link from the report’s email again; copy all of it if you paste it.' },
  expired: { title: 'This link has expired', text: 'Report links work for 7 days. Ask for the report again: whoever set up the schedule can send it now from ProPortal.' },
  invalid: { title: 'This link does not work', text: 'It may have been changed or cut short, or the report was removed. Open the link from the email again, or ask for the report again.' },
};

export function ReportDownload() {
  usePageTitle('Download a report');
  const location = useLocation();
  // Read once; the fragment is cleared right after so the token is not kept in history.
  const [token] = useState(() => tokenFromHash(location.hash));
  const [state, setState] = useState<State>(token ? { status: 'fetching' } : { status: 'missing' });
  const asked = useRef(false);

  const fetchLink = useCallback(() => {
    if (!token) return;
    setState({ status: 'fetching' });
    api.reportDownload(token).then(
      ({ url }) => {
        setState({ status: 'ready', url });
        download(url);
      },
      (err: unknown) => {
        if (err instanceof ApiError && (err.status === 410 || err.code === 'token_expired')) setState({ status: 'expired' });
        else if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setState({ status: 'invalid' });
        else setState({ status: 'error', message: err instanceof Error ? err.message : 'The report could not be fetched.' });
      },
    );
  }, [token]);

  useEffect(() => {
    clearHash();
    if (asked.current) return;
    asked.current = true;
    fetchLink();
  }, [fetchLink]);

  return (
    <PublicLayout>
      <h1 className="public-title">{state.status === 'ready' ? 'Your report is downloading' : 'Download a report'}</h1>
      {state.status === 'fetching' ? (
        <p role="status" aria-busy="true">
          Getting your report…
        </p>
      ) : null}
      {state.status === 'ready' ? (
        <div role="status">
          <p>The Excel workbook should start downloading now.</p>
          <p>
            <a href={state.url} className="button button-primary button-block">
              Download the report
            </a>
          </p>
          <p className="muted">This download link works for 15 minutes; the link in the email works for 7 days.</p>
        </div>
      ) : null}
      {state.status === 'missing' || state.status === 'expired' || state.status === 'invalid' ? (
        <Alert title={PROBLEMS[state.status].title}>{PROBLEMS[state.status].text}</Alert>
      ) : null}
      {state.status === 'error' ? (
        <>
          <Alert title="The report could not be fetched">{state.message}</Alert>
          <button type="button" className="button button-primary button-block" onClick={fetchLink}>
            Try again
          </button>
        </>
      ) : null}
    </PublicLayout>
  );
}
