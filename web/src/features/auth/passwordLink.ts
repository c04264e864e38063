// The token of an invite or reset link travels in the URL's fragment
// (/set-password#token=…), which browsers never send to a server. The page
// reads it once and then removes it from the address bar and history.

/** The token in a location hash ("#token=abc"), or null. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.trim() ? token.trim() : null;
}

/** Whether a location hash is a password-reset link ("#token=…&purpose=reset"), not an invite. */
export function isResetLink(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).get('purpose') === 'reset';
}

/** Replaces the current history entry with the same URL without its hash. */
export function clearHash(): void {
  const { pathname, search, hash } = window.location;
  if (!hash) return;
  window.history.replaceState(window.history.state, '', pathname + search);
}

/** Client-side rules shown to people; the API also refuses common passwords. */
export const MIN_PASSWORD_LENGTH = 12;

export interface PasswordErrors {
  password?: string;
  confirm?: string;
}

export function checkNewPassword(password: string, confirm: string): PasswordErrors {
  const errors: PasswordErrors = {};
  if (!password) errors.password = 'Enter a new password.';
  else if ([...password].length < MIN_PASSWORD_LENGTH)
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${[...password].length}).`;
  if (!confirm) errors.confirm = 'Type the new password again.';
  else if (password && password !== confirm) errors.confirm = 'The passwords do not match. Type the same password twice.';
  return errors;
}
