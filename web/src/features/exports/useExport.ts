import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type Export, type NewExport } from '../../api';

/** How often a running export is asked for its progress. */
export const EXPORT_POLL_MS = 1000;

/** Where an export the admin asked for stands, as a page shows it. */
export type ExportState =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'running'; export: Export }
  | { phase: 'done'; export: Export }
  | { phase: 'failed'; message: string; fields?: Record<string, string> };

/** How the page leaves for a download; tests replace assign. */
export const navigation = {
  assign(url: string): void {
    window.location.assign(url);
  },
};

/** Starts the browser's download of a finished export (another origin: S3). */
export function download(url: string): void {
  navigation.assign(url);
}

/**
 * Asks for an export, follows it while the job writes it and downloads the
 * file once it is done. start() begins another one; a failure says why.
 */
export function useExport(onFinished?: (e: Export) => void): {
  state: ExportState;
  start: (request: NewExport) => void;
  reset: () => void;
} {
  const [state, setState] = useState<ExportState>({ phase: 'idle' });
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  const start = useCallback((request: NewExport) => {
    setState({ phase: 'starting' });
    api.createExport(request).then(
      (e) => setState({ phase: 'running', export: e }),
      (err: unknown) =>
        setState({
          phase: 'failed',
          message: err instanceof Error ? err.message : 'The export could not be started.',
          ...(err instanceof ApiError && Object.keys(err.fields).length > 0 ? { fields: err.fields } : {}),
        }),
    );
  }, []);

  const running = state.phase === 'running' ? state.export : null;
  useEffect(() => {
    if (!running) return;
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      api.exportById(running.id, ctrl.signal).then(
        (next) => {
          if (next.status === 'done' && next.downloadUrl) {
            setState({ phase: 'done', export: next });
            finishedRef.current?.(next);
            download(next.downloadUrl);
          } else if (next.status === 'failed') {
            setState({ phase: 'failed', message: next.error || 'The export could not be made. Try again.' });
            finishedRef.current?.(next);
          } else {
            setState({ phase: 'running', export: next });
          }
        },
        () => {
          // A lost poll is no failure of the export: ask again at the next tick.
          if (!ctrl.signal.aborted) setState({ phase: 'running', export: { ...running } });
        },
      );
    }, EXPORT_POLL_MS);
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [running]);

  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, start, reset };
}
