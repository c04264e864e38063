import { Alert } from '../../components/Alert';
import { accessWarning } from './subscription';

/** The warning shown when access ends within 30 days or has ended; nothing otherwise. */
export function AccessWarningAlert({ period }: { period: Parameters<typeof accessWarning>[0] }) {
  const warning = accessWarning(period);
  if (!warning) return null;
  return (
    <Alert tone={warning.kind === 'ended' ? 'error' : 'warning'} title={warning.title}>
      {warning.message}
    </Alert>
  );
}
