// The organization's teams (docs/api.md, "Teams").

import { call } from './client';
import type { Team } from './types.gen';

export const teamsApi = {
  async teams(signal?: AbortSignal): Promise<Team[]> {
    return (await call<{ items: Team[] }>('GET', '/api/teams', { signal })).items;
  },
};
