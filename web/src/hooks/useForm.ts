import { useCallback, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { ApiError } from '../api';

/** What is wrong, per field, in words for the person filling in the form. */
export type FieldErrors<V> = Partial<Record<keyof V & string, string>>;

/** How a refused submit is shown: next to the fields, and/or above the form. */
export interface Refusal<V> {
  fields?: FieldErrors<V>;
  message?: string;
}

export interface FormOptions<V extends Record<string, string>> {
  initial: V | (() => V);
  /** What the form can tell before asking the API. */
  validate?: (values: V) => FieldErrors<V>;
  /** Sends the form; throws (an ApiError, usually) when it is refused. */
  submit: (values: V) => Promise<void>;
  /**
   * How a refusal is shown; undefined for the usual: an ApiError's fields next
   * to the fields and its message above the form.
   */
  explain?: (err: unknown) => Refusal<V> | undefined;
  /** Said when the refusal has no words of its own. */
  fallback: string;
  /** Emptied after a refusal (a password). */
  clearOnError?: (keyof V & string)[];
  /** Gets focus after a refusal; else the first field with an error. */
  focusOnError?: keyof V & string;
}

/**
 * A form's values, its errors (per field, from validate or from the API's
 * `{error:{code,message,fields}}`, and one above the form), whether it is being
 * sent, and its submit handler. After an error, focus goes to the field to fix.
 */
export function useForm<V extends Record<string, string>>(options: FormOptions<V>) {
  const [values, setValues] = useState<V>(options.initial);
  const [fields, setFields] = useState<FieldErrors<V>>({});
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const inputs = useRef(new Map<string, HTMLInputElement | null>());
  const refCallbacks = useRef(new Map<string, (el: HTMLInputElement | null) => void>());
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const order = Object.keys(values) as (keyof V & string)[];

  const setValue = useCallback((name: keyof V & string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  }, []);

  function focusFirst(errors: FieldErrors<V>, preferred?: keyof V & string) {
    const name = preferred ?? order.find((k) => errors[k]);
    if (name) inputs.current.get(name)?.focus();
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const { validate, submit, explain, fallback, clearOnError, focusOnError } = optionsRef.current;
    const found = validate?.(values) ?? {};
    if (Object.values(found).some(Boolean)) {
      setFields(found);
      setError(null);
      focusFirst(found);
      return;
    }
    setFields({});
    setError(null);
    setSubmitting(true);
    try {
      await submit(values);
    } catch (err) {
      const refusal = explain?.(err) ?? usualRefusal<V>(err, fallback);
      setFields(refusal.fields ?? {});
      setError(refusal.message ?? null);
      for (const name of clearOnError ?? []) setValue(name, '');
      focusFirst(refusal.fields ?? {}, focusOnError);
    } finally {
      setSubmitting(false);
    }
  }

  /** The props of a Field for one value: value, onChange, error, inputRef. */
  function field(name: keyof V & string) {
    let ref = refCallbacks.current.get(name);
    if (!ref) {
      ref = (el: HTMLInputElement | null) => void inputs.current.set(name, el);
      refCallbacks.current.set(name, ref);
    }
    return {
      value: values[name],
      onChange: (e: ChangeEvent<HTMLInputElement>) => setValue(name, e.target.value),
      error: fields[name],
      inputRef: ref,
    };
  }

  return { values, setValue, fields, error, submitting, onSubmit, field };
}

function usualRefusal<V>(err: unknown, fallback: string): Refusal<V> {
  if (err instanceof ApiError) return { fields: err.fields as FieldErrors<V>, message: err.message };
  return { message: err instanceof Error ? err.message : fallback };
}
