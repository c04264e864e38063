// Renders the whole app (router, session, routes) at an address, as a browser would.
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { App } from '../App';
import { SessionProvider } from '../session';

let current = { pathname: '', search: '', hash: '' };

function LocationProbe() {
  const l = useLocation();
  current = { pathname: l.pathname, search: l.search, hash: l.hash };
  return null;
}

/** Where the app's router is now. */
export function currentLocation() {
  return current;
}

export function renderApp(path: string) {
  const user = userEvent.setup();
  const utils = render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <App />
        <LocationProbe />
      </SessionProvider>
    </MemoryRouter>,
  );
  return { user, ...utils };
}
