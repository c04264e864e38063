import { Alert } from './Alert';

/** A page's data could not be loaded: what, the API's reason, and another try. */
export function LoadError({ what, message, onRetry }: { what: string; message: string; onRetry: () => void }) {
  return (
    <Alert title={`The ${what} could not be loaded`}>
      {message}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        Try again
      </button>
    </Alert>
  );
}
