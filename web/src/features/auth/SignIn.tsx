import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { ApiError, hasDevMailbox } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PublicLayout } from '../../components/PublicLayout';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useSession, type SignInState } from '../../session';
import './auth.css';

export function SignIn() {
  usePageTitle('Sign in');
  const { state, signIn } = useSession();
  const location = useLocation();
  const from = (location.state as SignInState | null)?.from;
  const expired = (location.state as SignInState | null)?.reason === 'expired';

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [mailbox, setMailbox] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    void hasDevMailbox().then((ok) => live && setMailbox(ok));
    return () => {
      live = false;
    };
  }, []);

  if (state.status === 'signedIn') {
    const target = state.me.user.admin && from && from !== '/sign-in' ? from : '/';
    return <Navigate to={target} replace />;
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = 'Enter your email address.';
    if (!password) missing.password = 'Enter your password.';
    setFields(missing);
    if (Object.keys(missing).length > 0) {
      setError(null);
      (missing.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      // The session changes and this page redirects (above).
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) {
        setFields(err.fields);
        setError(err.message);
      } else {
        setError(err instanceof Error ? err.message : 'Signing in failed. Try again in a moment.');
      }
      setPassword('');
      passwordRef.current?.focus();
    }
  }

  return (
    <PublicLayout
      footer={
        mailbox ? (
          <p className="dev-hint">
            <Link to="/dev/mailbox">Mailbox</Link>
            <span aria-hidden="true"> · </span>
            <span>Local run: open invite and reset mail here</span>
          </p>
        ) : null
      }
    >
      <h1 className="public-title">Sign in to ProPortal</h1>
      <p className="public-lead">Manage your organization’s seats, people and training.</p>
      {expired && !error ? (
        <p className="notice notice-info">Your session has ended. Sign in again to continue.</p>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email}
          inputRef={emailRef}
          required
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          inputRef={passwordRef}
          required
        />
        <div className="form-row-between">
          <Link to={email.trim() ? `/forgot-password?email=${encodeURIComponent(email.trim())}` : '/forgot-password'}>
            Forgot password?
          </Link>
        </div>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          Sign in
        </button>
      </form>
    </PublicLayout>
  );
}
