import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type Schedule, type Team } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { zones } from '../subscription/TimeZoneCard';
import {
  blankValues,
  checkValues,
  errorsFromApi,
  inputOf,
  MAX_RECIPIENTS,
  ordinal,
  SCHEDULE_KINDS,
  valuesOf,
  weekdayName,
  WEEKDAYS,
  type ScheduleErrors,
  type ScheduleValues,
} from './schedules';
import './schedules.css';

/**
 * New schedule, or editing one: which report, when, over what period, and
 * to whom. Problems show on their fields, the API's as well as the form's own.
 */
export function ScheduleDialog({
  schedule,
  orgTimeZone,
  teams,
  onClose,
  onSaved,
}: {
  /** The schedule to edit; none for a new one. */
  schedule?: Schedule;
  /** The default of a new schedule; "" (the organization's, whichever it is) when it could not be read. */
  orgTimeZone: string;
  /** The organization's teams, for a team's activity; null while loading. */
  teams: Team[] | null;
  onClose: () => void;
  onSaved: (s: Schedule) => void;
}) {
  const id = useId();
  const [v, setV] = useState<ScheduleValues>(() => (schedule ? valuesOf(schedule) : blankValues(orgTimeZone)));
  const [errors, setErrors] = useState<ScheduleErrors>({});
  const [busy, setBusy] = useState(false);
  const recipientRefs = useRef<(HTMLInputElement | null)[]>([]);
  const formRef = useRef<HTMLFormElement>(null);

  function set<K extends keyof ScheduleValues>(key: K, value: ScheduleValues[K]) {
    setV((old) => ({ ...old, [key]: value }));
  }

  function setRecipient(i: number, value: string) {
    setV((old) => ({ ...old, recipients: old.recipients.map((r, j) => (j === i ? value : r)) }));
  }

  function addRecipient() {
    const next = v.recipients.length;
    setV((old) => ({ ...old, recipients: [...old.recipients, ''] }));
    window.setTimeout(() => recipientRefs.current[next]?.focus(), 0);
  }

  function removeRecipient(i: number) {
    setV((old) => ({ ...old, recipients: old.recipients.filter((_, j) => j !== i) }));
    setErrors((e) => ({ ...e, recipient: undefined }));
    window.setTimeout(() => recipientRefs.current[Math.max(0, i - 1)]?.focus(), 0);
  }

  /** Focus the first field with a problem (it is the first invalid control of the form). */
  function focusProblem() {
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkValues(v);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusProblem();
      return;
    }
    setErrors({});
    setBusy(true);
    const input = inputOf(v, schedule?.paused ?? false);
    try {
      const saved = schedule ? await api.updateReportSchedule(schedule.id, input) : await api.createReportSchedule(input);
      onSaved(saved);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) {
        const found = errorsFromApi(err.fields, err.message, v.recipients);
        if (err.status === 404 && v.kind === 'team-activity' && !found.teamId) found.teamId = 'That team no longer exists. Choose another.';
        setErrors(found);
        focusProblem();
      } else {
        setErrors({ form: err instanceof Error ? err.message : 'The schedule could not be saved. Try again.' });
      }
    }
  }

  const recipientsErrorId = `${id}-recipients-error`;
  return (
    <Modal
      title={schedule ? `Edit ${schedule.name}` : 'New schedule'}
      description={<p>A report made on a clock and emailed as an Excel workbook; recipients need no ProPortal account.</p>}
      onClose={onClose}
    >
      <form ref={formRef} className="form-stack schedule-form" onSubmit={(e) => void submit(e)} noValidate>
        {errors.form ? <Alert>{errors.form}</Alert> : null}
        <Field label="Name" value={v.name} maxLength={100} onChange={(e) => set('name', e.target.value)} error={errors.name} placeholder="Weekly viewings for finance" required />
        <Select label="Report" value={v.kind} onChange={(x) => set('kind', x as ScheduleValues['kind'])} error={errors.kind}>
          {SCHEDULE_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.name}
            </option>
          ))}
        </Select>
        {v.kind === 'team-activity' ? (
          <Select label="Team" value={v.teamId} onChange={(x) => set('teamId', x)} error={errors.teamId} disabled={teams === null}>
            <option value="">{teams === null ? 'Loading teams…' : teams.length === 0 ? 'There are no teams yet' : 'Choose a team'}</option>
            {(teams ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        ) : null}
        <div className="form-grid-2">
          <Select label="Frequency" value={v.frequency} onChange={(x) => set('frequency', x as ScheduleValues['frequency'])} error={errors.frequency}>
            <option value="weekly">Every week</option>
            <option value="monthly">Every month</option>
          </Select>
          {v.frequency === 'weekly' ? (
            <Select label="Day of the week" value={v.weekday} onChange={(x) => set('weekday', x as ScheduleValues['weekday'])} error={errors.weekday}>
              {WEEKDAYS.map((d) => (
                <option key={d} value={d}>
                  {weekdayName(d)}
                </option>
              ))}
            </Select>
          ) : (
            <Select
              label="Day of the month"
              value={v.dayOfMonth}
              onChange={(x) => set('dayOfMonth', x)}
              error={errors.dayOfMonth}
              hint={Number(v.dayOfMonth) > 28 ? 'In shorter months it runs on the last day.' : undefined}
            >
              {Array.from({ length: 31 }, (_, i) => (
                <option key={i + 1} value={String(i + 1)}>
                  {ordinal(i + 1)}
                </option>
              ))}
            </Select>
          )}
          <Field label="Time" type="time" value={v.time} onChange={(e) => set('time', e.target.value)} error={errors.time} required />
          <Select label="Time zone" value={v.timeZone} onChange={(x) => set('timeZone', x)} error={errors.timeZone}>
            {v.timeZone === '' ? <option value="">The organization’s time zone</option> : null}
            {zones(v.timeZone).map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </Select>
        </div>
        <Select label="Period" value={v.period} onChange={(x) => set('period', x as ScheduleValues['period'])} error={errors.period} hint="The days each report covers, ending the day before it is sent.">
          <option value="week">The last week (Monday to Sunday)</option>
          <option value="month">The last calendar month</option>
        </Select>
        <fieldset className="fieldset recipients" aria-describedby={`${id}-recipients-hint${errors.recipients ? ` ${recipientsErrorId}` : ''}`}>
          <legend className="field-label">Recipients</legend>
          <p id={`${id}-recipients-hint`} className="field-hint">
            Up to {MAX_RECIPIENTS} email addresses. Each gets the summary and the workbook.
          </p>
          <ol className="recipient-list">
            {v.recipients.map((r, i) => {
              const err = errors.recipient?.[i];
              const bounced = schedule?.bounced.includes(r.trim().toLowerCase());
              return (
                <li key={i} className="recipient-row">
                  <div className={`field${err ? ' field-invalid' : ''}`}>
                    <label htmlFor={`${id}-r${i}`} className="visually-hidden">
                      Recipient {i + 1}
                    </label>
                    <div className="recipient-input">
                      <input
                        id={`${id}-r${i}`}
                        ref={(el) => {
                          recipientRefs.current[i] = el;
                        }}
                        className="input"
                        type="email"
                        autoComplete="off"
                        placeholder="name@example.com"
                        value={r}
                        onChange={(e) => setRecipient(i, e.target.value)}
                        aria-invalid={err || (errors.recipients && i === 0) ? true : undefined}
                        aria-describedby={err ? `${id}-r${i}-error` : bounced ? `${id}-r${i}-bounced` : undefined}
                      />
                      <button
                        type="button"
                        className="button button-quiet"
                        onClick={() => removeRecipient(i)}
                        disabled={v.recipients.length === 1}
                        aria-label={`Remove recipient ${i + 1}`}
                      >
                        Remove
                      </button>
                    </div>
                    {bounced && !err ? (
                      <p id={`${id}-r${i}-bounced`} className="field-hint">
                        Mail to this address bounced; saving sends to it again.
                      </p>
                    ) : null}
                    {err ? (
                      <p id={`${id}-r${i}-error`} className="field-error">
                        {err}
                      </p>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>
          {errors.recipients ? (
            <p id={recipientsErrorId} className="field-error">
              {errors.recipients}
            </p>
          ) : null}
          <button type="button" className="button button-small" onClick={addRecipient} disabled={v.recipients.length >= MAX_RECIPIENTS}>
            Add recipient
          </button>
          {v.recipients.length >= MAX_RECIPIENTS ? <p className="field-hint">That is the most a schedule mails.</p> : null}
        </fieldset>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Saving…' : schedule ? 'Save schedule' : 'Create schedule'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A labelled select with its hint and error tied to it. */
function Select({
  label,
  value,
  onChange,
  error,
  hint,
  disabled,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  disabled?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint ? (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      ) : null}
      <select
        id={id}
        className="input select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        disabled={disabled}
      >
        {children}
      </select>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
