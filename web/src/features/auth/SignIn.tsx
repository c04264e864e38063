import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { hasDevMailbox } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PublicLayout } from '../../components/PublicLayout';
import { useForm } from '../../hooks/useForm';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useSession, type SignInState } from '../../session';
import { EmailField } from './EmailField';
import './auth.css';

export function SignIn() {
  usePageTitle('Sign in');
  const { state, signIn } = useSession();
  const location = useLocation();
  const from = (location.state as SignInState | null)?.from;
  const expired = (location.state as SignInState | null)?.reason === 'expired';

  const form = useForm({
    initial: { email: '', password: '' },
    validate: ({ email, password }) => ({
      ...(email.trim() ? {} : { email: 'Enter your email address.' }),
      ...(password ? {} : { password: 'Enter your password.' }),
    }),
    // The session changes and this page redirects (below).
    submit: async ({ email, password }) => void (await signIn(email.trim(), password)),
    fallback: 'Signing in failed. Try again in a moment.',
    clearOnError: ['password'],
    focusOnError: 'password',
  });
  const { error } = form;
  const email = form.values.email.trim();
  const [mailbox, setMailbox] = useState(false);

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
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <EmailField {...form.field('email')} required />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          {...form.field('password')}
          required
        />
        <div className="form-row-between">
          <Link to={email ? `/forgot-password?email=${encodeURIComponent(email)}` : '/forgot-password'}>
            Forgot password?
          </Link>
        </div>
        <button type="submit" className="button button-primary button-block" disabled={form.submitting}>
          Sign in
        </button>
      </form>
    </PublicLayout>
  );
}
