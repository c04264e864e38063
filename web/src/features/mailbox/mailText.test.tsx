import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { htmlToText, MailText, splitMailText } from './mailText';

const ORIGIN = 'http://localhost:8080';

describe('splitMailText', () => {
  it('finds links and leaves sentence punctuation out of them', () => {
    const parts = splitMailText('Open http://localhost:8080/set-password#token=abc. Or see https://example.com/help).', ORIGIN);
    expect(parts).toEqual([
      { kind: 'text', text: 'Open ' },
      { kind: 'link', href: 'http://localhost:8080/set-password#token=abc', text: 'http://localhost:8080/set-password#token=abc', sameOrigin: true },
      { kind: 'text', text: '. Or see ' },
      { kind: 'link', href: 'https://example.com/help', text: 'https://example.com/help', sameOrigin: false },
      { kind: 'text', text: ').' },
    ]);
  });

  it('makes no links of other schemes', () => {
    expect(splitMailText('javascript:alert(1) and data:text/html,x', ORIGIN)).toEqual([
      { kind: 'text', text: 'javascript:alert(1) and data:text/html,x' },
    ]);
  });
});

describe('MailText', () => {
  function renderText(text: string) {
    return render(
      <MemoryRouter>
        <div data-testid="mail">
          <MailText text={text} origin={ORIGIN} />
        </div>
      </MemoryRouter>,
    );
  }

  it('renders markup in the mail as text, never as HTML', () => {
    renderText('Hello <img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>');
    const box = screen.getByTestId('mail');
    expect(box.querySelector('img')).toBeNull();
    expect(box.querySelector('script')).toBeNull();
    expect(box.querySelector('b')).toBeNull();
    expect(box.textContent).toBe('Hello <img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>');
  });

  it('opens the portal’s own links in this tab and others in a new one', () => {
    renderText('Set it: http://localhost:8080/set-password#token=abc\nHelp: https://example.com/help');
    const own = screen.getByRole('link', { name: 'http://localhost:8080/set-password#token=abc' });
    expect(own).toHaveAttribute('href', '/set-password#token=abc');
    expect(own).not.toHaveAttribute('target');
    const other = screen.getByRole('link', { name: 'https://example.com/help' });
    expect(other).toHaveAttribute('target', '_blank');
    expect(other).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('keeps a link with quotes or angle brackets from breaking out', () => {
    renderText('x https://example.com/a"onmouseover="alert(1) y');
    const link = screen.getByRole('link');
    expect(link).toHaveAttribute('href', 'https://example.com/a');
    expect(link).not.toHaveAttribute('onmouseover');
  });
});

describe('htmlToText', () => {
  it('keeps the text and link addresses of an HTML-only mail, and runs nothing', () => {
    const text = htmlToText(
      '<p>Hello <b>Ada</b></p><script>window.__pwned = true</script><p><a href="http://localhost:8080/set-password#token=t">Choose a password</a></p><img src=x onerror="window.__pwned = true">',
    );
    expect(text).toBe('Hello Ada\nChoose a password (http://localhost:8080/set-password#token=t)');
    expect((window as unknown as { __pwned?: boolean }).__pwned).toBeUndefined();
  });
});
