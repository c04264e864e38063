// The JSON of scheduled reports, as /work/contract11.md sets it. Written by
// hand until the API's Go structs land and types.gen.ts carries them.

import type { OrganizationSettings } from './types.gen';

export type ScheduleKind = 'viewings' | 'assignments' | 'labs' | 'logins' | 'team-activity';
export type ScheduleFrequency = 'weekly' | 'monthly';
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export type SchedulePeriod = 'week' | 'month';
export type DeliveryTrigger = 'schedule' | 'manual';
export type DeliveryStatus = 'pending' | 'running' | 'delivered' | 'partial' | 'failed';
export type RecipientStatus = 'pending' | 'sent' | 'failed' | 'bounced';

export interface LastDelivery {
  id: string;
  status: DeliveryStatus;
  createdAt: string;
}

export interface Schedule {
  id: string;
  name: string;
  kind: ScheduleKind;
  teamId: string;
  frequency: ScheduleFrequency;
  weekday?: Weekday;
  dayOfMonth?: number;
  time: string;
  timeZone: string;
  period: SchedulePeriod;
  recipients: string[];
  bounced: string[];
  paused: boolean;
  nextRunAt: string | null;
  lastDelivery: LastDelivery | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleInput {
  name: string;
  kind: ScheduleKind;
  teamId?: string;
  frequency: ScheduleFrequency;
  weekday?: Weekday;
  dayOfMonth?: number;
  time: string;
  timeZone?: string;
  period: SchedulePeriod;
  recipients: string[];
  paused?: boolean;
}

export interface DeliveryRecipient {
  address: string;
  status: RecipientStatus;
  reason: string;
}

export interface Delivery {
  id: string;
  scheduleId: string;
  trigger: DeliveryTrigger;
  from: string;
  to: string;
  status: DeliveryStatus;
  rows: number;
  bytes: number;
  attached: boolean;
  error: string;
  recipients: DeliveryRecipient[];
  createdAt: string;
  finishedAt: string | null;
}

/** The organization's settings with the reminders switch. */
export type OrganizationWithReminders = OrganizationSettings & { reminders?: boolean };
