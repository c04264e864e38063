// Scheduled reports (docs/api.md, "Scheduled reports"): schedules, their
// deliveries, "send now", and the public download of a mailed report.

import { call, seg } from './client';
import type { Delivery, DeliveryList, Schedule, ScheduleInput, ScheduleList } from './types.gen';

export const schedulesApi = {
  async reportSchedules(signal?: AbortSignal): Promise<Schedule[]> {
    return (await call<ScheduleList>('GET', '/api/report-schedules', { signal })).schedules;
  },
  reportSchedule(scheduleId: string, signal?: AbortSignal): Promise<Schedule> {
    return call<Schedule>('GET', `/api/report-schedules/${seg(scheduleId)}`, { signal });
  },
  createReportSchedule(input: ScheduleInput): Promise<Schedule> {
    return call<Schedule>('POST', '/api/report-schedules', { body: input });
  },
  updateReportSchedule(scheduleId: string, input: ScheduleInput): Promise<Schedule> {
    return call<Schedule>('PUT', `/api/report-schedules/${seg(scheduleId)}`, { body: input });
  },
  deleteReportSchedule(scheduleId: string): Promise<void> {
    return call<void>('DELETE', `/api/report-schedules/${seg(scheduleId)}`);
  },
  async reportDeliveries(scheduleId: string, signal?: AbortSignal): Promise<Delivery[]> {
    return (await call<DeliveryList>('GET', `/api/report-schedules/${seg(scheduleId)}/deliveries`, { signal })).deliveries;
  },
  /** "Send now": a delivery of the last period, made and mailed by the job. */
  sendReportNow(scheduleId: string): Promise<Delivery> {
    return call<Delivery>('POST', `/api/report-schedules/${seg(scheduleId)}/deliveries`);
  },
  /** A fresh link to a mailed report's workbook, for the token in the mail's link. */
  reportDownload(token: string): Promise<{ url: string }> {
    return call<{ url: string }>('POST', '/api/report-downloads', { body: { token } });
  },
};
