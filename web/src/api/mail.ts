// The local run's mail feed (GET /dev/mail). Not part of the API: in AWS the
// path answers the portal's index.html, which means "no mailbox here".

import { isAbort, parseError } from './client';
import type { MailMessage } from './types.gen';

export const mailApi = {
  /**
   * The mail the local server has sent, newest first; null where there is no
   * local mailbox.
   */
  async devMail(signal?: AbortSignal): Promise<MailMessage[] | null> {
    let res: Response;
    try {
      res = await fetch('/dev/mail', {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        signal,
      });
    } catch (err) {
      if (isAbort(err)) throw err;
      return null;
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('application/json')) return null;
    if (!res.ok) throw await parseError(res);
    const data: unknown = await res.json();
    return Array.isArray(data) ? (data as MailMessage[]) : null;
  },
};

let mailboxCheck: Promise<boolean> | null = null;

/** Whether this is a local run with a mailbox; asked once per page load. */
export function hasDevMailbox(): Promise<boolean> {
  mailboxCheck ??= mailApi.devMail().then(
    (mail) => mail !== null,
    () => false,
  );
  return mailboxCheck;
}

/** Forgets the answer of hasDevMailbox (for tests). */
export function resetDevMailboxCheck(): void {
  mailboxCheck = null;
}
