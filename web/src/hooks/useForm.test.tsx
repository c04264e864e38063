import { act, render, renderHook, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormEvent } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { Field } from '../components/Field';
import { useForm, type FormOptions } from './useForm';

type Values = { email: string; password: string };

const submitEvent = () => ({ preventDefault: vi.fn() }) as unknown as FormEvent;

function options(over: Partial<FormOptions<Values>> = {}): FormOptions<Values> {
  return {
    initial: { email: '', password: '' },
    validate: (v) => (v.email ? {} : { email: 'Enter your email address.' }),
    submit: vi.fn().mockResolvedValue(undefined),
    fallback: 'It did not work.',
    ...over,
  };
}

describe('useForm', () => {
  it('keeps values and sends them once valid', async () => {
    const submit = vi.fn().mockResolvedValue(undefined);
    const { result } = renderHook(() => useForm(options({ submit })));
    act(() => result.current.setValue('email', 'ada@example.com'));
    const e = submitEvent();
    await act(() => result.current.onSubmit(e));
    expect(e.preventDefault).toHaveBeenCalled();
    expect(submit).toHaveBeenCalledWith({ email: 'ada@example.com', password: '' });
    expect(result.current.fields).toEqual({});
    expect(result.current.error).toBeNull();
    expect(result.current.submitting).toBe(false);
  });

  it('does not send what validate refuses, and says why next to the field', async () => {
    const submit = vi.fn();
    const { result } = renderHook(() => useForm(options({ submit })));
    await act(() => result.current.onSubmit(submitEvent()));
    expect(submit).not.toHaveBeenCalled();
    expect(result.current.field('email').error).toBe('Enter your email address.');
  });

  it('is submitting while the request runs', async () => {
    let finish = () => {};
    const submit = () => new Promise<void>((resolve) => (finish = resolve));
    const { result } = renderHook(() => useForm(options({ submit, initial: { email: 'a@b.co', password: '' } })));
    let sent: Promise<void> = Promise.resolve();
    act(() => {
      sent = result.current.onSubmit(submitEvent());
    });
    expect(result.current.submitting).toBe(true);
    await act(async () => {
      finish();
      await sent;
    });
    expect(result.current.submitting).toBe(false);
  });

  it('puts the API’s field errors next to the fields and its message above the form', async () => {
    const submit = vi.fn().mockRejectedValue(
      new ApiError(400, 'validation_failed', 'Check the fields.', { email: 'Use your work address.' }),
    );
    const { result } = renderHook(() => useForm(options({ submit, initial: { email: 'a@b.co', password: 'x' } })));
    await act(() => result.current.onSubmit(submitEvent()));
    expect(result.current.fields).toEqual({ email: 'Use your work address.' });
    expect(result.current.error).toBe('Check the fields.');
  });

  it('says the fallback when the failure has no words, and empties what it is told to', async () => {
    const submit = vi.fn().mockRejectedValue('???');
    const { result } = renderHook(() =>
      useForm(options({ submit, initial: { email: 'a@b.co', password: 'secret' }, clearOnError: ['password'] })),
    );
    await act(() => result.current.onSubmit(submitEvent()));
    expect(result.current.error).toBe('It did not work.');
    expect(result.current.values).toEqual({ email: 'a@b.co', password: '' });
  });

  it('lets the form explain a refusal its own way', async () => {
    const submit = vi.fn().mockRejectedValue(new ApiError(410, 'token_expired', 'Expired.'));
    const explain = vi.fn().mockReturnValue({});
    const { result } = renderHook(() => useForm(options({ submit, explain, initial: { email: 'a@b.co', password: '' } })));
    await act(() => result.current.onSubmit(submitEvent()));
    expect(explain).toHaveBeenCalledWith(expect.objectContaining({ code: 'token_expired' }));
    expect(result.current.error).toBeNull();
    expect(result.current.fields).toEqual({});
  });

  it('moves focus to the first field to fix, or to the one it is told', async () => {
    function Form(props: Partial<FormOptions<Values>>) {
      const form = useForm(options(props));
      return (
        <form onSubmit={form.onSubmit} noValidate>
          <Field label="Email" {...form.field('email')} />
          <Field label="Password" type="password" {...form.field('password')} />
          <button type="submit">Send</button>
        </form>
      );
    }
    const user = userEvent.setup();
    const { unmount } = render(<Form />);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    unmount();

    render(<Form submit={vi.fn().mockRejectedValue(new ApiError(401, 'invalid_credentials', 'Wrong.'))} focusOnError="password" />);
    await user.type(screen.getByLabelText('Email'), 'a@b.co');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByLabelText('Password')).toHaveFocus();
  });
});
