// The organization's teams and their members (docs/api.md, "Teams").

import { call, send, seg } from './client';
import type { CreatedTeam, Team, TeamActivity, TeamChange, TeamDetail } from './types.gen';

/** A change of many members and whether it ended within the request (200) or goes on (202). */
export interface ChangeAnswer {
  change: TeamChange;
  running: boolean;
}

export const teamsApi = {
  async teams(signal?: AbortSignal): Promise<Team[]> {
    return (await call<{ items: Team[] }>('GET', '/api/teams', { signal })).items;
  },
  team(teamId: string, signal?: AbortSignal): Promise<TeamDetail> {
    return call<TeamDetail>('GET', `/api/teams/${seg(teamId)}`, { signal });
  },
  createTeam(name: string, userIds: string[]): Promise<CreatedTeam> {
    return call<CreatedTeam>('POST', '/api/teams', { body: { name, userIds } });
  },
  renameTeam(teamId: string, name: string): Promise<Team> {
    return call<Team>('PATCH', `/api/teams/${seg(teamId)}`, { body: { name } });
  },
  async deleteTeam(teamId: string): Promise<ChangeAnswer> {
    const res = await send<TeamChange>('DELETE', `/api/teams/${seg(teamId)}`);
    return { change: res.data, running: res.status === 202 };
  },
  async addMembers(teamId: string, userIds: string[]): Promise<ChangeAnswer> {
    const res = await send<TeamChange>('POST', `/api/teams/${seg(teamId)}/members`, { body: { userIds } });
    return { change: res.data, running: res.status === 202 };
  },
  removeMember(teamId: string, userId: string): Promise<void> {
    return call<void>('DELETE', `/api/teams/${seg(teamId)}/members/${seg(userId)}`);
  },
  teamActivity(teamId: string, signal?: AbortSignal): Promise<TeamActivity> {
    return call<TeamActivity>('GET', `/api/teams/${seg(teamId)}/activity`, { signal });
  },
  teamChange(teamId: string, changeId: string, signal?: AbortSignal): Promise<TeamChange> {
    return call<TeamChange>('GET', `/api/teams/${seg(teamId)}/changes/${seg(changeId)}`, { signal });
  },
};
