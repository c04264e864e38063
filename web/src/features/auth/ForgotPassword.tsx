import { useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PublicLayout } from '../../components/PublicLayout';
import { usePageTitle } from '../../hooks/usePageTitle';

export function ForgotPassword() {
  usePageTitle('Reset your password');
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const emailRef = useRef<HTMLInputElement>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim()) {
      setFieldError('Enter the email address you sign in with.');
      emailRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setFieldError(undefined);
    setSent(null);
    try {
      const res = await api.forgotPassword(email.trim());
      setSent(res.message);
    } catch (err) {
      if (err instanceof ApiError && err.fields.email) {
        setFieldError(err.fields.email);
        emailRef.current?.focus();
      } else {
        setError(err instanceof Error ? err.message : 'The link could not be requested. Try again in a moment.');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <PublicLayout>
      <h1 className="public-title">Reset your password</h1>
      <p className="public-lead">
        Enter the email address you sign in with. We will send you a link to choose a new password.
      </p>
      <div role="status" className="status-inline">
        {sent ? <p className="notice notice-success">{sent}</p> : null}
      </div>
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
          error={fieldError}
          inputRef={emailRef}
          required
        />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          Send reset link
        </button>
      </form>
      <p className="public-back">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </PublicLayout>
  );
}
