import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { api, ApiError, type PasswordSet } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PublicLayout } from '../../components/PublicLayout';
import { useForm } from '../../hooks/useForm';
import { usePageTitle } from '../../hooks/usePageTitle';
import { checkNewPassword, clearHash, isResetLink, MIN_PASSWORD_LENGTH, tokenFromHash } from './passwordLink';
import { useSession } from '../../session';
import './auth.css';

type LinkProblem = 'missing' | 'expired' | 'used';

const PROBLEMS: Record<LinkProblem, { title: string; text: string }> = {
  missing: {
    title: 'This link is incomplete',
    text: 'Open the link from your invite or reset email again, or ask for a new link.',
  },
  expired: {
    title: 'This link has expired',
    text: 'Invite links work for 72 hours and reset links for 15 minutes. Ask for a new link and use it soon.',
  },
  used: {
    title: 'This link no longer works',
    text: 'It was already used or replaced by a newer link. If you have set your password, sign in; otherwise ask for a new link.',
  },
};

export function SetPassword() {
  const location = useLocation();
  // Read once, like the token: a reset link chooses a new password, an invite creates one.
  const [title] = useState(() => (isResetLink(location.hash) ? 'Choose a new password' : 'Create your password'));
  usePageTitle(title);
  const navigate = useNavigate();
  const { state, forget } = useSession();
  // Read once; the hash is cleared right after so the token is not kept in history.
  const [token] = useState(() => tokenFromHash(location.hash));
  const [problem, setProblem] = useState<LinkProblem | null>(token ? null : 'missing');
  const [done, setDone] = useState<PasswordSet | null>(null);
  const form = useForm({
    initial: { password: '', confirm: '' },
    validate: ({ password, confirm }) => checkNewPassword(password, confirm),
    submit: async ({ password }) => {
      if (!token) return;
      const set = await api.setPassword(token, password);
      // Whoever was signed in in this browser (perhaps an admin opening someone
      // else's link) is signed out, so the next sign-in uses the new password.
      if (state.status === 'signedIn') {
        await api.logout().catch(() => undefined);
        forget();
      }
      setDone(set);
    },
    explain: (err) => {
      if (!(err instanceof ApiError)) return undefined;
      if (err.code === 'token_expired' || err.code === 'invalid_token') {
        setProblem(err.code === 'token_expired' ? 'expired' : 'used');
        return {};
      }
      if (Object.keys(err.fields).length > 0) return { fields: { password: err.fields.password ?? err.message } };
      return undefined;
    },
    fallback: 'Your password could not be set. Try again in a moment.',
  });

  useEffect(() => {
    clearHash();
  }, []);

  const rules = (
    <ul className="rules">
      <li>At least {MIN_PASSWORD_LENGTH} characters</li>
      <li>Not a common password (such as “password123456”)</li>
    </ul>
  );

  return (
    <PublicLayout>
      <h1 className="public-title">{title}</h1>
      <div role="status" className="status-inline">
        {done ? <p className="notice notice-success">Your password is set.</p> : null}
      </div>
      {done && !done.admin && done.learningUrl ? (
        <>
          <p>
            Your training is on the learning platform: start learning there. This portal is only for the people who
            manage your organization’s seats.
          </p>
          <a href={done.learningUrl} className="button button-primary button-block">
            Start learning
          </a>
        </>
      ) : done ? (
        <>
          <p>Sign in with your email address and your new password.</p>
          <Link to="/sign-in" className="button button-primary button-block">
            Sign in
          </Link>
        </>
      ) : problem ? (
        <>
          <Alert title={PROBLEMS[problem].title}>{PROBLEMS[problem].text}</Alert>
          <div className="stack-small">
            <button type="button" className="button button-primary button-block" onClick={() => navigate('/forgot-password')}>
              Send a new link
            </button>
            <p className="public-back">
              <Link to="/sign-in">Back to sign in</Link>
            </p>
          </div>
        </>
      ) : (
        <>
          <p className="public-lead">Choose the password you will sign in with.</p>
          {form.error ? <Alert>{form.error}</Alert> : null}
          <form className="form" onSubmit={form.onSubmit} noValidate>
            {/* Lets password managers file the new password under the account (the link does not say which). */}
            <input type="text" name="username" autoComplete="username" hidden readOnly tabIndex={-1} aria-hidden="true" value="" />
            <Field
              label="New password"
              type="password"
              name="new-password"
              autoComplete="new-password"
              hint={rules}
              {...form.field('password')}
              required
            />
            <Field
              label="Confirm password"
              type="password"
              name="confirm-password"
              autoComplete="new-password"
              {...form.field('confirm')}
              required
            />
            <button type="submit" className="button button-primary button-block" disabled={form.submitting}>
              Set password
            </button>
          </form>
        </>
      )}
    </PublicLayout>
  );
}
