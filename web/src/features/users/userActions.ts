// Which actions the users table offers for a person, and what each one says.
// Only what fits the person's state is offered; the API would refuse the rest.

import { api, type User } from '../../api';
import { fullName, possessive } from '../../format';

export type UserActionId =
  | 'deactivate'
  | 'activate'
  | 'grantAdmin'
  | 'removeAdmin'
  | 'resetPassword'
  | 'resendInvite'
  | 'activity';

export interface UserAction {
  id: UserActionId;
  label: string;
  /** Destructive actions ask first; this is the confirmation. */
  confirm?: { title: string; body: string; button: string };
}

/** The actions for a person, in menu order. */
export function actionsFor(user: Pick<User, 'firstName' | 'lastName' | 'status' | 'seat' | 'admin'>): UserAction[] {
  const name = fullName(user);
  const out: UserAction[] = [];
  if (user.seat) {
    out.push({
      id: 'deactivate',
      label: 'Deactivate subscription',
      confirm: {
        title: `Deactivate ${possessive(name)} subscription?`,
        body: user.admin
          ? `${name} loses their learner seat and can no longer watch training. They keep their admin rights. Their history is kept, and you can activate them again while a seat is free.`
          : `${name} loses their learner seat, is signed out and can no longer sign in. Their history is kept, and you can activate them again while a seat is free.`,
        button: 'Deactivate',
      },
    });
  } else {
    out.push({ id: 'activate', label: 'Activate subscription' });
  }
  if (user.admin) {
    out.push({
      id: 'removeAdmin',
      label: 'Remove admin rights',
      confirm: {
        title: `Remove ${possessive(name)} admin rights?`,
        body: user.seat
          ? `${name} can no longer use this portal. They keep their learner seat.`
          : `${name} can no longer use this portal. They have no learner seat, so their account becomes inactive.`,
        button: 'Remove rights',
      },
    });
  } else {
    out.push({ id: 'grantAdmin', label: 'Give admin rights' });
  }
  if (user.status === 'active' || user.status === 'invited') {
    out.push({ id: 'resetPassword', label: 'Reset password' });
  }
  if (user.status === 'invited') {
    out.push({ id: 'resendInvite', label: 'Resend invite' });
  }
  out.push({ id: 'activity', label: 'Activity' });
  return out;
}

export interface ActionOutcome {
  /** The user as saved, when the action changed them. */
  user?: User;
  /** What happened, in plain words, for the live region. */
  message: string;
}

/** Runs an action (other than "activity", which is a link) against the API. */
export async function runAction(id: Exclude<UserActionId, 'activity'>, user: User): Promise<ActionOutcome> {
  const name = fullName(user);
  switch (id) {
    case 'deactivate': {
      const saved = await api.deactivate(user.id);
      return { user: saved, message: `${possessive(name)} subscription was deactivated.` };
    }
    case 'activate': {
      const saved = await api.activate(user.id);
      const extra =
        saved.status === 'invited' ? ' They have not created a password yet: use "Resend invite" to send them a new link.' : '';
      return { user: saved, message: `${possessive(name)} subscription was activated.${extra}` };
    }
    case 'grantAdmin': {
      const saved = await api.grantAdmin(user.id);
      return { user: saved, message: `${name} now has admin rights.` };
    }
    case 'removeAdmin': {
      const saved = await api.removeAdmin(user.id);
      return { user: saved, message: `${possessive(name)} admin rights were removed.` };
    }
    case 'resetPassword': {
      await api.resetPassword(user.id);
      return { message: `A password-reset link was sent to ${name} (${user.email}). It works for 15 minutes.` };
    }
    case 'resendInvite': {
      await api.resendInvite(user.id);
      return { message: `A new invite was sent to ${name} (${user.email}); the previous link no longer works.` };
    }
  }
}

