// Assignments and the organization's time zone (docs/api.md, "Assignments").

import { call, seg } from './client';
import type {
  AssigneePage,
  Assignment,
  AssignmentDetails,
  AssignmentPage,
  AssignmentStatus,
  NewAssignment,
  OrganizationSettings,
  ProgressState,
  UserAssignments,
} from './types.gen';

/** What an assignment's people list is filtered by. */
export interface AssigneeQuery {
  team?: string;
  state?: ProgressState | 'overdue';
  limit?: number;
  cursor?: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const assignmentsApi = {
  assignments(status: AssignmentStatus = 'open', cursor?: string, signal?: AbortSignal): Promise<AssignmentPage> {
    return call<AssignmentPage>('GET', `/api/assignments${query({ status: status === 'open' ? undefined : status, cursor })}`, { signal });
  },
  assignment(id: string, signal?: AbortSignal): Promise<AssignmentDetails> {
    return call<AssignmentDetails>('GET', `/api/assignments/${seg(id)}`, { signal });
  },
  createAssignment(a: NewAssignment): Promise<Assignment> {
    return call<Assignment>('POST', '/api/assignments', { body: a });
  },
  changeDueDate(id: string, dueOn: string): Promise<Assignment> {
    return call<Assignment>('PATCH', `/api/assignments/${seg(id)}`, { body: { dueOn } });
  },
  cancelAssignment(id: string): Promise<Assignment> {
    return call<Assignment>('DELETE', `/api/assignments/${seg(id)}`);
  },
  assignees(id: string, q: AssigneeQuery, signal?: AbortSignal): Promise<AssigneePage> {
    return call<AssigneePage>('GET', `/api/assignments/${seg(id)}/assignees${query({ ...q })}`, { signal });
  },
  /** Adds people and teams; with none, finishes an assignment a failure left part way. */
  addAssignees(id: string, userIds: string[], teamIds: string[]): Promise<Assignment> {
    return call<Assignment>('POST', `/api/assignments/${seg(id)}/assignees`, { body: { userIds, teamIds } });
  },
  userAssignments(userId: string, signal?: AbortSignal): Promise<UserAssignments> {
    return call<UserAssignments>('GET', `/api/users/${seg(userId)}/assignments`, { signal });
  },
  teamAssignments(teamId: string, signal?: AbortSignal): Promise<AssignmentPage> {
    return call<AssignmentPage>('GET', `/api/teams/${seg(teamId)}/assignments`, { signal });
  },
  organization(signal?: AbortSignal): Promise<OrganizationSettings> {
    return call<OrganizationSettings>('GET', '/api/organization', { signal });
  },
  /** Turns the organization's due-date reminders and overdue digest on or off. */
  setReminders(reminders: boolean): Promise<OrganizationSettings> {
    return call<OrganizationSettings>('PATCH', '/api/organization', { body: { reminders } });
  },
  setTimeZone(timeZone: string): Promise<OrganizationSettings> {
    return call<OrganizationSettings>('PATCH', '/api/organization', { body: { timeZone } });
  },
};
