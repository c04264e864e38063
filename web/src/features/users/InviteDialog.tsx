import { useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type Access, type InviteResult, type Team, type UserCounts } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import './users.css';

export interface InviteOutcome {
  result?: InviteResult;
  /** The invite was saved but its mail was not sent (502 mail_failed). */
  mailFailed?: string;
}

export interface InviteDialogProps {
  teams: Pick<Team, 'id' | 'name'>[];
  /** Seat figures, to say what a seat costs; absent while loading. */
  counts?: Pick<UserCounts, 'seatsUsed' | 'seatsTotal'>;
  onClose: () => void;
  /** Called when the invite was saved (the dialog closes). */
  onDone: (outcome: InviteOutcome) => void;
  returnFocus?: () => HTMLElement | null | undefined;
}

export interface InviteValues {
  firstName: string;
  lastName: string;
  email: string;
  teamId: string;
  access: Access;
}

export type InviteErrors = Partial<Record<'firstName' | 'lastName' | 'email' | 'teamId' | 'access', string>>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the form can tell before asking the API. */
export function validateInvite(v: InviteValues): InviteErrors {
  const e: InviteErrors = {};
  if (!v.firstName.trim()) e.firstName = 'Enter a first name.';
  else if (v.firstName.trim().length > 100) e.firstName = 'Use at most 100 characters.';
  if (!v.lastName.trim()) e.lastName = 'Enter a last name.';
  else if (v.lastName.trim().length > 100) e.lastName = 'Use at most 100 characters.';
  if (!v.email.trim()) e.email = 'Enter an email address.';
  else if (!EMAIL_RE.test(v.email.trim())) e.email = 'Enter an email address like name@company.com.';
  return e;
}

/** Free learner seats, when the counts are known. */
export function freeSeats(counts?: Pick<UserCounts, 'seatsUsed' | 'seatsTotal'>): number | undefined {
  return counts ? Math.max(0, counts.seatsTotal - counts.seatsUsed) : undefined;
}

export const NO_SEAT_FREE = 'No learner seat is free: choose Portal admin, or free a seat first (deactivate someone or add seats).';

export function accessOptions(counts?: Pick<UserCounts, 'seatsUsed' | 'seatsTotal'>) {
  const free = freeSeats(counts);
  const seats =
    counts === undefined
      ? 'Uses one of your seats.'
      : free === 0
        ? `Needs a seat, and all ${counts.seatsTotal} are in use.`
        : `Uses one of your ${counts.seatsTotal} seats (${free} free).`;
  return [
    {
      value: 'subscription' as const,
      label: 'Learner seat',
      help: `Can watch training and do labs. ${seats}`,
    },
    {
      value: 'admin' as const,
      label: 'Portal admin',
      help: 'Can use this portal to manage seats, people and reports. Uses no seat.',
    },
    {
      value: 'both' as const,
      label: 'Both',
      help: `Can watch training and use this portal. ${seats}`,
    },
  ];
}

const FIELD_ORDER = ['firstName', 'lastName', 'email', 'teamId', 'access'] as const;

/** "Invite a person": name, email, optional team, and what access they get. */
export function InviteDialog({ teams, counts, onClose, onDone, returnFocus }: InviteDialogProps) {
  const id = useId();
  const [values, setValues] = useState<InviteValues>({ firstName: '', lastName: '', email: '', teamId: '', access: 'subscription' });
  const [errors, setErrors] = useState<InviteErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refs = {
    firstName: useRef<HTMLInputElement>(null),
    lastName: useRef<HTMLInputElement>(null),
    email: useRef<HTMLInputElement>(null),
    teamId: useRef<HTMLSelectElement>(null),
    access: useRef<HTMLInputElement>(null),
  };

  function set<K extends keyof InviteValues>(key: K, value: InviteValues[K]) {
    setValues((v) => ({ ...v, [key]: value }));
  }

  function focusFirst(errs: InviteErrors) {
    const first = FIELD_ORDER.find((k) => errs[k]);
    if (first) refs[first].current?.focus();
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const found = validateInvite(values);
    // Said up front (the alert above) and here again, rather than by a refused request.
    if (values.access !== 'admin' && freeSeats(counts) === 0 && !found.access) found.access = NO_SEAT_FREE;
    setErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    setBusy(true);
    try {
      const result = await api.invite({
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        email: values.email.trim(),
        access: values.access,
        ...(values.teamId ? { teamId: values.teamId } : {}),
      });
      onDone({ result });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'mail_failed') {
        onDone({ mailFailed: err.message });
        return;
      }
      if (err instanceof ApiError) {
        const fieldErrors: InviteErrors = {};
        for (const k of FIELD_ORDER) if (err.fields[k]) fieldErrors[k] = err.fields[k];
        if (err.code === 'email_in_use') fieldErrors.email ??= err.message;
        setErrors(fieldErrors);
        if (Object.keys(fieldErrors).length > 0) {
          setError(err.code === 'validation_failed' ? 'Check the fields marked below.' : err.message);
          focusFirst(fieldErrors);
        } else {
          setError(err.message);
        }
      } else {
        setError(err instanceof Error ? err.message : 'The invite could not be sent. Try again in a moment.');
      }
    }
  }

  const options = accessOptions(counts);
  const teamHintId = `${id}-team-hint`;
  const teamErrorId = `${id}-team-error`;

  return (
    <Modal
      title="Invite a person"
      description={<p>They get an email with a link to create their password. The link works for 72 hours.</p>}
      onClose={onClose}
      initialFocus={refs.firstName}
      returnFocus={returnFocus}
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        {error ? <Alert>{error}</Alert> : null}
        {freeSeats(counts) === 0 ? (
          <Alert tone="warning" title="No learner seat is free">
            All {counts?.seatsTotal} seats are in use. You can invite a portal admin, who uses no seat; to invite a
            learner, deactivate someone or add seats first.
          </Alert>
        ) : null}
        <div className="form-grid-2">
          <Field
            label="First name"
            name="firstName"
            autoComplete="off"
            value={values.firstName}
            onChange={(e) => set('firstName', e.target.value)}
            error={errors.firstName}
            inputRef={refs.firstName}
            maxLength={100}
            required
          />
          <Field
            label="Last name"
            name="lastName"
            autoComplete="off"
            value={values.lastName}
            onChange={(e) => set('lastName', e.target.value)}
            error={errors.lastName}
            inputRef={refs.lastName}
            maxLength={100}
            required
          />
        </div>
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="off"
          inputMode="email"
          value={values.email}
          onChange={(e) => set('email', e.target.value)}
          error={errors.email}
          inputRef={refs.email}
          required
        />
        <div className={`field${errors.teamId ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-team`} className="field-label">
            Team
          </label>
          <div id={teamHintId} className="field-hint">
            Optional. You can change teams later.
          </div>
          <select
            id={`${id}-team`}
            ref={refs.teamId}
            className="input select"
            value={values.teamId}
            onChange={(e) => set('teamId', e.target.value)}
            aria-describedby={errors.teamId ? `${teamHintId} ${teamErrorId}` : teamHintId}
            aria-invalid={errors.teamId ? true : undefined}
          >
            <option value="">No team</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          {errors.teamId ? (
            <p id={teamErrorId} className="field-error">
              {errors.teamId}
            </p>
          ) : null}
        </div>
        <fieldset
          className={`field fieldset${errors.access ? ' field-invalid' : ''}`}
          role="radiogroup"
          aria-labelledby={`${id}-access-legend`}
          aria-describedby={errors.access ? `${id}-access-error` : undefined}
        >
          <legend id={`${id}-access-legend`} className="field-label">
            Access
          </legend>
          <div className="choice-list">
            {options.map((o, i) => (
              // The whole card selects the option; the radio itself is what keyboards and screen readers use.
              <div
                key={o.value}
                className={`choice${values.access === o.value ? ' choice-checked' : ''}`}
                onClick={() => set('access', o.value)}
              >
                <input
                  id={`${id}-access-${o.value}`}
                  type="radio"
                  name={`${id}-access`}
                  value={o.value}
                  checked={values.access === o.value}
                  onChange={() => set('access', o.value)}
                  aria-describedby={`${id}-access-${o.value}-help`}
                  ref={i === 0 ? refs.access : undefined}
                />
                <div className="choice-text">
                  <label htmlFor={`${id}-access-${o.value}`} className="choice-label">
                    {o.label}
                  </label>
                  <p id={`${id}-access-${o.value}-help`} className="choice-help">
                    {o.help}
                  </p>
                </div>
              </div>
            ))}
          </div>
          {errors.access ? (
            <p id={`${id}-access-error`} className="field-error">
              {errors.access}
            </p>
          ) : null}
        </fieldset>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            Send invite
          </button>
        </div>
      </form>
    </Modal>
  );
}
