import { Field, type FieldProps } from '../../components/Field';

/** The email address people sign in with (password managers know it as the username). */
export function EmailField(props: Omit<FieldProps, 'label' | 'type' | 'name' | 'autoComplete' | 'inputMode'>) {
  return <Field label="Email" type="email" name="email" autoComplete="username" inputMode="email" {...props} />;
}
