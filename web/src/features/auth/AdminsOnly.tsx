import { useState } from 'react';
import { PublicLayout } from '../../components/PublicLayout';
import { fullName } from '../../format';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useMe, useSession } from '../../session';

/** What a signed-in learner without admin rights sees instead of the portal. */
export function AdminsOnly() {
  usePageTitle('For admins only');
  const me = useMe();
  const { signOut } = useSession();
  const [busy, setBusy] = useState(false);
  return (
    <PublicLayout>
      <h1 className="public-title">This portal is for admins</h1>
      <p>
        ProPortal is where the seat admins of {me.organization.name} manage seats and people. You are signed in as{' '}
        {fullName(me.user)} ({me.user.email}), who does not have admin rights.
      </p>
      <p className="muted">
        To watch training, use the learning platform. If you need admin rights, ask one of your organization’s admins.
      </p>
      <button
        type="button"
        className="button button-primary button-block"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void signOut().finally(() => setBusy(false));
        }}
      >
        Sign out
      </button>
    </PublicLayout>
  );
}
