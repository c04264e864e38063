import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api';
import { Alert } from '../../components/Alert';
import { PublicLayout } from '../../components/PublicLayout';
import { useForm } from '../../hooks/useForm';
import { usePageTitle } from '../../hooks/usePageTitle';
import { EmailField } from './EmailField';

export function ForgotPassword() {
  usePageTitle('Reset your password');
  const [params] = useSearchParams();
  const [sent, setSent] = useState<string | null>(null);
  const form = useForm({
    initial: () => ({ email: params.get('email') ?? '' }),
    validate: ({ email }) => (email.trim() ? {} : { email: 'Enter the email address you sign in with.' }),
    submit: async ({ email }) => {
      setSent(null);
      setSent((await api.forgotPassword(email.trim())).message);
    },
    // A wrong address is said next to the field only.
    explain: (err) => (err instanceof ApiError && err.fields.email ? { fields: { email: err.fields.email } } : undefined),
    fallback: 'The link could not be requested. Try again in a moment.',
  });

  return (
    <PublicLayout>
      <h1 className="public-title">Reset your password</h1>
      <p className="public-lead">
        Enter the email address you sign in with. We will send you a link to choose a new password.
      </p>
      <div role="status" className="status-inline">
        {sent ? <p className="notice notice-success">{sent}</p> : null}
      </div>
      {form.error ? <Alert>{form.error}</Alert> : null}
      <form className="form" onSubmit={form.onSubmit} noValidate>
        <EmailField {...form.field('email')} required />
        <button type="submit" className="button button-primary button-block" disabled={form.submitting}>
          Send reset link
        </button>
      </form>
      <p className="public-back">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </PublicLayout>
  );
}
