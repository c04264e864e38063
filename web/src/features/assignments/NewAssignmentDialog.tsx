import { useId, useState, type FormEvent } from 'react';
import { api, ApiError, type Assignment, type ModuleSummary, type Team } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useLoad } from '../../hooks/useLoad';
import { addDays } from './dates';
import { nobodyPicked, PeoplePicker, type Picked } from './PeoplePicker';

type Errors = Partial<Record<'moduleId' | 'dueOn' | 'people' | 'form', string>>;

/** Today in the organization's time zone, as the API last said, or the browser's. */
function todayGuess(today?: string): string {
  return today ?? new Date().toISOString().slice(0, 10);
}

/** The API's refusal, put next to the field it names. */
export function errorsOf(err: unknown): Errors {
  if (!(err instanceof ApiError)) return { form: 'Something went wrong. Try again.' };
  const f = err.fields;
  const e: Errors = {};
  if (f.moduleId) e.moduleId = `The module ${f.moduleId}.`;
  if (f.dueOn) e.dueOn = `The due date ${f.dueOn}.`;
  if (f.userIds || f.teamIds) e.people = f.userIds ?? f.teamIds;
  if (err.status === 404) e.form = `${err.message[0]?.toUpperCase() ?? ''}${err.message.slice(1)}: it may have been removed. Reload and try again.`;
  if (Object.keys(e).length === 0) e.form = err.message;
  return e;
}

/** New assignment: a module, people and/or teams, a due date. */
export function NewAssignmentDialog({
  teams,
  today,
  onClose,
  onCreated,
}: {
  teams: Team[];
  today?: string;
  onClose: () => void;
  onCreated: (a: Assignment) => void;
}) {
  const id = useId();
  const modules = useLoad<ModuleSummary[]>((signal) => api.modules(signal), []);
  const [moduleId, setModuleId] = useState('');
  const [dueOn, setDueOn] = useState(addDays(todayGuess(today), 14));
  const [picked, setPicked] = useState<Picked>(nobodyPicked);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Errors = {};
    if (!moduleId) errs.moduleId = 'Choose a module.';
    if (!dueOn) errs.dueOn = 'Choose a due date.';
    if (picked.users.size === 0 && picked.teamIds.size === 0) errs.people = 'Choose at least one team or person.';
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      const a = await api.createAssignment({ moduleId, dueOn, userIds: [...picked.users.keys()], teamIds: [...picked.teamIds] });
      onCreated(a);
    } catch (err) {
      setErrors(errorsOf(err));
      setBusy(false);
    }
  }

  return (
    <Modal title="New assignment" description={<p>Give a learning module to people and teams, due on a date.</p>} onClose={onClose}>
      <form className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
        <div className={`field${errors.moduleId ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-module`} className="field-label">
            Module
          </label>
          {modules.status === 'error' ? (
            <p className="field-error">The modules could not be loaded: {modules.error.message}</p>
          ) : modules.status === 'done' && modules.data.length === 0 ? (
            <p className="muted">There are no learning modules yet. Build one from the catalog first.</p>
          ) : null}
          <select
            id={`${id}-module`}
            className="input select"
            value={moduleId}
            onChange={(e) => setModuleId(e.target.value)}
            aria-invalid={errors.moduleId ? true : undefined}
            aria-describedby={errors.moduleId ? `${id}-module-error` : undefined}
            disabled={modules.status !== 'done'}
          >
            <option value="">{modules.status === 'loading' ? 'Loading modules…' : 'Choose a module'}</option>
            {(modules.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          {errors.moduleId ? (
            <p id={`${id}-module-error`} className="field-error">
              {errors.moduleId}
            </p>
          ) : null}
        </div>
        <PeoplePicker teams={teams} picked={picked} onChange={setPicked} error={errors.people} />
        <Field
          label="Due date"
          type="date"
          hint="A day in your organization’s time zone (Subscription page)."
          min={todayGuess(today)}
          value={dueOn}
          onChange={(e) => setDueOn(e.target.value)}
          error={errors.dueOn}
          required
        />
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Assigning…' : 'Assign'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
