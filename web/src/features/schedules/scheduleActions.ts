import { api, type Schedule } from '../../api';
import { inputOf, valuesOf } from './schedules';

/** Pauses a running schedule or resumes a paused one: the same settings saved with paused flipped. */
export function togglePaused(s: Schedule): Promise<Schedule> {
  return api.updateReportSchedule(s.id, inputOf(valuesOf(s), !s.paused));
}
