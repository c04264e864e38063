import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { fullName } from '../format';
import { useMe, useSession } from '../session';

const NAV = [
  { to: '/', label: 'Dashboard', end: true, icon: 'M3 3h6v8H3zM11 3h6v5h-6zM11 10h6v7h-6zM3 13h6v4H3z' },
  { to: '/users', label: 'Users', end: false, icon: 'M7 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5 8c0-3 2.2-5 5-5s5 2 5 5M13.5 9a2.5 2.5 0 1 0 0-5M15 12c1.8.4 3 2 3 5' },
  { to: '/teams', label: 'Teams', end: false, icon: 'M10 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM4 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM16 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM5.5 16c0-2.5 2-4.5 4.5-4.5s4.5 2 4.5 4.5M1.5 15c0-2 1.2-3.3 3-3.6M18.5 15c0-2-1.2-3.3-3-3.6' },
  { to: '/modules', label: 'Modules', end: false, icon: 'M4 4h9l3 3v9H4zM7 8h6M7 11h6M7 14h4' },
  { to: '/assignments', label: 'Assignments', end: false, icon: 'M5 3h10v14H5zM8 7h4M8 10h4M8 13h2' },
  { to: '/idle-seats', label: 'Idle seats', end: false, icon: 'M10 3a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM10 6v4l3 2' },
  { to: '/reports', label: 'Reports', end: false, icon: 'M4 16V9M8 16V4M12 16v-5M16 16V7M3 17h14' },
  { to: '/subscription', label: 'Subscription', end: false, icon: 'M3 5h14v10H3zM3 8h14M6 12h3' },
  { to: '/audit', label: 'Audit log', end: false, icon: 'M5 3h10v14H5zM8 7h4M8 10h4M8 13h4M3 6h2M3 10h2M3 14h2' },
];

/** The admin's frame: skip link, the organization, the navigation, who is signed in. */
export function AppLayout() {
  const me = useMe();
  const { signOut } = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const [signingOut, setSigningOut] = useState(false);
  // On narrow windows the navigation folds behind a menu button, closed at first
  // and after every move to another page; on wide ones the button is hidden (CSS).
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  useEffect(() => setMenuOpen(false), [location.pathname]);

  function onMenuKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape' && menuOpen) {
      setMenuOpen(false);
      menuButtonRef.current?.focus();
    }
  }

  // After moving to another page, put focus on its heading so screen readers
  // start there. On the first page (a load, or right after signing in) only
  // when focus is nowhere, e.g. the sign-in form it was on has gone.
  const first = useRef(true);
  useEffect(() => {
    const isFirst = first.current;
    first.current = false;
    if (isFirst && document.activeElement && document.activeElement !== document.body) return;
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    if (!isFirst && window.scrollY > 0) window.scrollTo(0, 0);
  }, [location.pathname]);

  function skipToContent(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault();
    mainRef.current?.focus();
  }

  return (
    <div className="app">
      <a href="#main" className="skip-link" onClick={skipToContent}>
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-inner">
        <div className="sidebar-brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          <div className="sidebar-brand-text">
            <span className="org-name">{me.organization.name}</span>
            <span className="product-name">ProPortal</span>
          </div>
          <button
            ref={menuButtonRef}
            type="button"
            className="button button-small menu-button"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen((o) => !o)}
          >
            <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 20 20">
              <path d={menuOpen ? 'M5 5l10 10M15 5L5 15' : 'M3 5h14M3 10h14M3 15h14'} stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            Menu
          </button>
        </div>
        <div id={menuId} className={`sidebar-menu${menuOpen ? ' sidebar-menu-open' : ''}`} onKeyDown={onMenuKeyDown}>
        <nav aria-label="Main" className="nav">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end} className="nav-link">
                  <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 20 20">
                    <path d={item.icon} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
                  </svg>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-user">
          <div className="sidebar-user-text">
            <span className="sidebar-user-name">{fullName(me.user)}</span>
            <span className="sidebar-user-email">{me.user.email}</span>
          </div>
          <button
            type="button"
            className="button button-small"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              void signOut().finally(() => setSigningOut(false));
            }}
          >
            Sign out
          </button>
        </div>
        </div>
        </div>
      </aside>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <Outlet />
      </main>
    </div>
  );
}
