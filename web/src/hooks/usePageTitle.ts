import { useEffect } from 'react';

/** Sets the tab's title: "Users · ProPortal". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ProPortal` : 'ProPortal';
  }, [title]);
}
