// The local run's mailbox: the mail the local server "sent" (moto keeps it), so
// invite and reset links can be followed without a real inbox. Only the text
// part of a mail is shown; the HTML part is never put into the page.

import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, type MailMessage } from '../../api';
import { Alert } from '../../components/Alert';
import { EmptyState } from '../../components/EmptyState';
import { Skeleton } from '../../components/Skeleton';
import { formatDateTime, plural } from '../../format';
import { formatBytes } from '../schedules/schedules';
import { usePageTitle } from '../../hooks/usePageTitle';
import { htmlToText, MailText } from './mailText';
import { useSession } from '../../session';
import './mailbox.css';

type State =
  | { status: 'loading' }
  | { status: 'done'; mail: MailMessage[] }
  | { status: 'unavailable' }
  | { status: 'error'; message: string };

export default function Mailbox() {
  usePageTitle('Mailbox');
  const { state: session } = useSession();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [selected, setSelected] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const seq = useRef(0);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    setRefreshing(true);
    try {
      const mail = await api.devMail();
      if (mine !== seq.current) return;
      setState(mail === null ? { status: 'unavailable' } : { status: 'done', mail });
      if (mail && mail.length > 0) setSelected((s) => (s && mail.some((m) => m.id === s) ? s : mail[0]!.id));
    } catch (err) {
      if (mine !== seq.current) return;
      setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
    } finally {
      if (mine === seq.current) setRefreshing(false);
    }
  }, []);

  useEffect(() => {
    void load();
    return () => {
      seq.current++;
    };
  }, [load]);

  const mail = state.status === 'done' ? state.mail : [];
  const message = mail.find((m) => m.id === selected) ?? null;

  return (
    <div className="mailbox-page">
      <header className="mailbox-header">
        <div className="mailbox-brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          <span className="muted">ProPortal · local run</span>
        </div>
        <nav aria-label="Mailbox">
          {session.status === 'signedIn' ? <Link to="/">Dashboard</Link> : <Link to="/sign-in">Sign in</Link>}
        </nav>
      </header>
      <main id="main" className="mailbox-main">
        <div className="page-header">
          <div className="page-header-text">
            <h1 className="page-title">Mailbox</h1>
            <p className="page-subtitle">
              Mail the local server has sent, newest first. Open a message to follow its links.
            </p>
          </div>
          <div className="page-actions">
            <button type="button" className="button" onClick={() => void load()} disabled={refreshing} aria-busy={refreshing}>
              Refresh
            </button>
          </div>
        </div>

        {state.status === 'unavailable' ? (
          <div className="card card-padded">
            <EmptyState title="There is no mailbox here">
              The mailbox exists only when ProPortal runs locally (make run). Deployed, mail goes to people’s real
              inboxes.
            </EmptyState>
          </div>
        ) : null}
        {state.status === 'error' ? (
          <Alert title="The mail could not be read">
            {state.message} Check that the local server is running, then choose Refresh.
          </Alert>
        ) : null}

        {state.status === 'done' || state.status === 'loading' ? (
          <div className="mailbox" aria-busy={state.status === 'loading'}>
            <section className="card mailbox-list" aria-labelledby="mail-list-title">
              <h2 id="mail-list-title" className="visually-hidden">
                Messages
              </h2>
              {state.status === 'loading' ? (
                <ul aria-hidden="true">
                  {[0, 1, 2].map((i) => (
                    <li key={i} className="mail-item mail-item-skeleton">
                      <Skeleton width="70%" />
                      <Skeleton width="45%" />
                    </li>
                  ))}
                </ul>
              ) : mail.length === 0 ? (
                <EmptyState title="No mail yet">Invite someone or ask for a password reset, then choose Refresh.</EmptyState>
              ) : (
                <ul>
                  {mail.map((m) => (
                    <li key={m.id}>
                      <button
                        type="button"
                        className="mail-item"
                        aria-pressed={m.id === selected}
                        onClick={() => setSelected(m.id)}
                      >
                        <span className="mail-item-subject">{m.subject || '(no subject)'}</span>
                        <span className="mail-item-meta">
                          <span>{m.to.join(', ')}</span>
                          <time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time>
                          {m.attachments && m.attachments.length > 0 ? <span>{plural(m.attachments.length, 'attachment')}</span> : null}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card card-padded mailbox-message" aria-labelledby="mail-message-title">
              {message ? (
                <article>
                  <h2 id="mail-message-title" className="mail-subject">
                    {message.subject || '(no subject)'}
                  </h2>
                  <dl className="mail-headers">
                    <div>
                      <dt>To</dt>
                      <dd>{message.to.join(', ')}</dd>
                    </div>
                    <div>
                      <dt>Sent</dt>
                      <dd>
                        <time dateTime={message.sentAt}>{formatDateTime(message.sentAt)}</time>
                      </dd>
                    </div>
                  </dl>
                  <div className="mail-text">
                    {message.text ? (
                      <MailText text={message.text} />
                    ) : message.html ? (
                      <MailText text={htmlToText(message.html)} />
                    ) : (
                      <p className="muted">This mail is empty.</p>
                    )}
                  </div>
                  <Attachments message={message} />
                </article>
              ) : (
                <>
                  <h2 id="mail-message-title" className="visually-hidden">
                    Message
                  </h2>
                  <p className="muted">{state.status === 'loading' ? 'Loading mail…' : 'Choose a message to read it.'}</p>
                </>
              )}
            </section>
          </div>
        ) : null}
      </main>
    </div>
  );
}

/** A mail's attached files, each a link that downloads it from the local mailbox. */
function Attachments({ message }: { message: MailMessage }) {
  const files = message.attachments ?? [];
  if (files.length === 0) return null;
  return (
    <section className="mail-attachments" aria-labelledby="mail-attachments-title">
      <h3 id="mail-attachments-title" className="mail-attachments-title">
        Attachments
      </h3>
      <ul>
        {files.map((a, i) => (
          <li key={`${a.name}-${i}`}>
            {a.url ? (
              <a href={a.url} download={a.name}>
                {a.name}
              </a>
            ) : (
              <span>{a.name}</span>
            )}{' '}
            <span className="muted">({a.url ? formatBytes(a.size) : `${formatBytes(a.size)}, no longer kept by the local mailbox`})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
