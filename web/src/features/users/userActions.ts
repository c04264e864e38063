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

/** Who is looking: whether the row is their own, and how many admins the organization has. */
export interface Viewer {
  isMe: boolean;
  admins?: number;
}

/** The actions for a person, in menu order. */
export function actionsFor(
  user: Pick<User, 'firstName' | 'lastName' | 'status' | 'seat' | 'admin'>,
  viewer: Viewer = { isMe: false },
): UserAction[] {
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
  if (user.admin && viewer.isMe && viewer.admins !== undefined && viewer.admins <= 1) {
    // The API refuses to leave an organization without an admin: say so before, not after.
    out.push({
      id: 'removeAdmin',
      label: 'Remove my admin rights',
      confirm: {
        title: 'You are the only admin',
        body: 'Your organization needs at least one admin. Give someone else admin rights first; then you can remove yours.',
        button: '',
      },
    });
  } else if (user.admin && viewer.isMe) {
    out.push({
      id: 'removeAdmin',
      label: 'Remove my admin rights',
      confirm: {
        title: 'Remove your own admin rights?',
        body: user.seat
          ? 'You can no longer use this portal: you will see that it is for admins as soon as this is done. You keep your learner seat. Only another admin can give your rights back.'
          : 'You can no longer use this portal, and as you have no learner seat your account becomes inactive. Only another admin can give your rights back.',
        button: 'Remove my rights',
      },
    });
  } else if (user.admin) {
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
        saved.status === 'invited' ? ` They have not created a password yet, so a new invite was sent to ${saved.email}.` : '';
      return { user: saved, message: `${possessive(name)} subscription was activated.${extra}` };
    }
    case 'grantAdmin': {
      const saved = await api.grantAdmin(user.id);
      return { user: saved, message: `${name} now has admin rights; they were told by email (${saved.email}).` };
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

