// The API client, one module per resource, and the API's types (types.gen.ts
// is rendered from the Go structs; see its header).

import { accountApi } from './account';
import { auditApi } from './audit';
import { assignmentsApi } from './assignments';
import { authApi } from './auth';
import { exportsApi } from './exports';
import { idleApi } from './idle';
import { importsApi } from './imports';
import { mailApi } from './mail';
import { modulesApi } from './modules';
import { schedulesApi } from './schedules';
import { teamsApi } from './teams';
import { usersApi } from './users';

export { ApiError, NETWORK_ERROR, parseError, setSessionHandlers } from './client';
export { hasDevMailbox, resetDevMailboxCheck } from './mail';
export { catalogQueryString, type CatalogQuery } from './modules';
export { type AssigneeQuery } from './assignments';
export { idleQueryString, type IdleQuery } from './idle';
export { auditQueryString, MAX_AUDIT_PAGE_SIZE, type AuditQuery } from './audit';
export { userQueryString, type InviteRequest, type InviteResult, type UserQuery } from './users';
export type { ChangeAnswer } from './teams';
export * from './types.gen';

/** Every call of the API: `api.users(query)`, `api.invite(invite)`… */
export const api = { ...authApi, ...accountApi, ...usersApi, ...teamsApi, ...modulesApi, ...assignmentsApi, ...exportsApi, ...importsApi, ...idleApi, ...schedulesApi, ...auditApi, ...mailApi };
