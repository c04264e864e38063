import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, mockFetch } from '../../test/fetchMock';
import { renderApp } from '../../test/render';
import { navigation } from '../exports/useExport';

afterEach(() => vi.restoreAllMocks());

const signedOut = { 'GET /api/me': apiError(401, 'unauthorized', 'Sign in.') };

describe('the report download page', () => {
  it('posts the token from the fragment, signed out, and goes to the fresh link', async () => {
    const assign = vi.spyOn(navigation, 'assign').mockImplementation(() => {});
    const f = mockFetch({ ...signedOut, 'POST /api/report-downloads': { body: { url: 'https://files.example/r.xlsx?sig=1' } } });
    renderApp('/report-download#token=abc.def');
    expect(await screen.findByRole('heading', { name: 'Your report is downloading' })).toBeInTheDocument();
    expect(assign).toHaveBeenCalledWith('https://files.example/r.xlsx?sig=1');
    expect(screen.getByRole('link', { name: 'Download the report' })).toHaveAttribute('href', 'https://files.example/r.xlsx?sig=1');
    const posts = f.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ url: '/api/report-downloads', body: { token: 'abc.def' } });
  });

  it('says an expired link has expired and what to do', async () => {
    mockFetch({ ...signedOut, 'POST /api/report-downloads': apiError(410, 'token_expired', 'This link has expired.') });
    renderApp('/report-download#token=old');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This link has expired');
    expect(alert).toHaveTextContent('Ask for the report again');
  });

  it('says a tampered or unknown link does not work', async () => {
    mockFetch({ ...signedOut, 'POST /api/report-downloads': apiError(404, 'not_found', 'report not found') });
    renderApp('/report-download#token=tampered');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link does not work');
  });

  it('says a link without its token is incomplete, and asks nothing', async () => {
    const f = mockFetch(signedOut);
    renderApp('/report-download');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link is incomplete');
    expect(f.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('offers another try when the API cannot be reached', async () => {
    let calls = 0;
    mockFetch({
      ...signedOut,
      'POST /api/report-downloads': () => (++calls === 1 ? apiError(500, 'internal', 'Internal error.') : { body: { url: 'https://files.example/r.xlsx' } }),
    });
    vi.spyOn(navigation, 'assign').mockImplementation(() => {});
    const { user } = renderApp('/report-download#token=abc');
    await user.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Your report is downloading' })).toBeInTheDocument();
  });
});
