import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, MAX_TEAM_NAME_LENGTH, type User } from '../../api';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { fullName, plural } from '../../format';
import { usePageTitle } from '../../hooks/usePageTitle';
import { PeoplePicker } from './PeoplePicker';
import './teams.css';

const STEPS = ['Name', 'People', 'Review'] as const;

/** Says what is wrong with a team name as typed, or ''. */
export function nameProblem(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (n === '') return 'Give the team a name.';
  if ([...n].length > MAX_TEAM_NAME_LENGTH) return `A team name has at most ${MAX_TEAM_NAME_LENGTH} characters.`;
  return '';
}

/** Creates a team in three steps: its name, its people, a review; one request creates it with its members. */
export function NewTeam() {
  usePageTitle('New team · Teams');
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState('');
  const [people, setPeople] = useState<Map<string, User>>(new Map());
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  function go(to: number) {
    setStep(to);
    setError('');
    requestAnimationFrame(() => headingRef.current?.focus());
  }

  function onName(e: FormEvent) {
    e.preventDefault();
    const problem = nameProblem(name);
    setNameError(problem);
    if (!problem) go(1);
  }

  async function create() {
    setBusy(true);
    setError('');
    try {
      const created = await api.createTeam(name.trim(), [...people.keys()]);
      navigate(`/teams/${encodeURIComponent(created.team.id)}`, { state: { created: true } });
    } catch (err) {
      if (err instanceof ApiError && err.fields['name']) {
        setNameError(err.code === 'conflict' ? `${err.message} Choose another name.` : err.fields['name']);
        go(0);
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const chosen = [...people.values()].sort((a, b) => fullName(a).localeCompare(fullName(b)));
  return (
    <>
      <p className="back-link">
        <Link to="/teams">
          <span aria-hidden="true">← </span>All teams
        </Link>
      </p>
      <PageHeader title="New team" />
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} className={`step${i === step ? ' step-current' : ''}${i < step ? ' step-done' : ''}`} aria-current={i === step ? 'step' : undefined}>
            <span className="step-number" aria-hidden="true">
              {i + 1}
            </span>
            <span>
              <span className="visually-hidden">Step {i + 1}: </span>
              {s}
            </span>
          </li>
        ))}
      </ol>
      <div className="card card-padded wizard">
        <h2 ref={headingRef} tabIndex={-1} className="wizard-title">
          {step === 0 ? 'Name the team' : step === 1 ? 'Add people' : 'Review and create'}
        </h2>
        {error ? <Alert onDismiss={() => setError('')}>{error}</Alert> : null}

        {step === 0 ? (
          <form onSubmit={onName} noValidate className="stack">
            <Field
              label="Team name"
              hint={`Unique in your organization, up to ${MAX_TEAM_NAME_LENGTH} characters.`}
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={nameError || undefined}
              autoComplete="off"
              maxLength={MAX_TEAM_NAME_LENGTH + 20}
              autoFocus
            />
            <div className="wizard-actions">
              <Link to="/teams" className="button">
                Cancel
              </Link>
              <button type="submit" className="button button-primary">
                Next: add people
              </button>
            </div>
          </form>
        ) : null}

        {step === 1 ? (
          <div className="stack">
            <PeoplePicker selected={people} onChange={setPeople} />
            <div className="wizard-actions">
              <button type="button" className="button" onClick={() => go(0)}>
                Back
              </button>
              <button type="button" className="button button-primary" onClick={() => go(2)}>
                Next: review
              </button>
            </div>
          </div>
        ) : null}

        {step === 2 ? (
          <div className="stack">
            <dl className="review">
              <dt>Name</dt>
              <dd>
                <bdi>{name.trim().replace(/\s+/g, ' ')}</bdi>
              </dd>
              <dt>People</dt>
              <dd>{people.size === 0 ? 'Nobody yet: you can add people later.' : plural(people.size, 'person', 'people')}</dd>
            </dl>
            {chosen.length > 0 ? (
              <ul className="review-people" aria-label="People to add">
                {chosen.map((u) => (
                  <li key={u.id}>
                    <bdi>{fullName(u)}</bdi> <span className="muted">{u.email}</span>
                  </li>
                ))}
              </ul>
            ) : null}
            <div className="wizard-actions">
              <button type="button" className="button" onClick={() => go(1)} disabled={busy}>
                Back
              </button>
              <button type="button" className="button button-primary" onClick={() => void create()} disabled={busy} aria-busy={busy}>
                Create team
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </>
  );
}
