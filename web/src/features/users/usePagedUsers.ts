import { api, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type StatusFilter, type User, type UserPage } from '../../api';
import { usePagedList } from '../../hooks/usePagedList';

/** The filters of the users list, as the address holds them ('' for none). */
export interface UserFilters {
  status: StatusFilter;
  teamId: string;
  q: string;
}

/** The users list for the filters, page by page, with the organization's counts. */
export function usePagedUsers({ status, teamId, q }: UserFilters) {
  const list = usePagedList<User, UserPage>(
    (page) => api.users({ status, ...(teamId ? { teamId } : {}), ...(q ? { q } : {}), ...page }),
    [status, teamId, q],
    { pageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_PAGE_SIZE },
  );
  return { ...list, counts: list.page?.counts };
}
