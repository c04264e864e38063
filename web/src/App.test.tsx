import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, makeMe, mockFetch } from './test/fetchMock';
import { renderApp } from './test/render';

describe('layout and not found', () => {
  it('has a skip link, the main navigation and the admin', async () => {
    mockFetch({ 'GET /api/me': { body: makeMe() }, 'GET /api/subscription': apiError(500, 'internal', 'Internal error.') });
    renderApp('/subscription');
    expect(await screen.findByRole('link', { name: 'Skip to content' })).toHaveAttribute('href', '#main');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Dashboard', 'Users', 'Teams', 'Modules', 'Assignments', 'Idle seats', 'Reports', 'Subscription', 'Audit log']);
    expect(within(nav).getByRole('link', { name: 'Subscription' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Users' })).not.toHaveAttribute('aria-current');
    expect(screen.getByText('Dana Admin')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    // A failed load says so and offers another try.
    expect(await screen.findByRole('alert')).toHaveTextContent('Internal error.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('folds the navigation behind a menu button that says whether it is open', async () => {
    mockFetch({ 'GET /api/me': { body: makeMe() }, 'GET /api/subscription': apiError(500, 'internal', 'Internal error.') });
    renderApp('/subscription');
    const button = await screen.findByRole('button', { name: 'Menu' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    const menu = document.getElementById(button.getAttribute('aria-controls') ?? '');
    expect(menu).toContainElement(screen.getByRole('navigation', { name: 'Main' }));
    expect(menu).not.toHaveClass('sidebar-menu-open');
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(menu).toHaveClass('sidebar-menu-open');
    // Escape closes it and focus goes back to the button.
    within(menu!).getByRole('link', { name: 'Users' }).focus();
    await userEvent.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveFocus();
  });

  it('answers an unknown address with a page that links to the dashboard', async () => {
    mockFetch({ 'GET /api/me': { body: makeMe() } });
    renderApp('/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('href', '/');
  });
});
