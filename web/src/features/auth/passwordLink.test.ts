import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkNewPassword, clearHash, tokenFromHash } from './passwordLink';

describe('tokenFromHash', () => {
  it.each([
    ['#token=abc-DEF_123', 'abc-DEF_123'],
    ['#token=a%2Bb', 'a+b'],
    ['#foo=1&token=xyz', 'xyz'],
    ['#token=', null],
    ['', null],
    ['#other=1', null],
  ])('%s → %s', (hash, want) => {
    expect(tokenFromHash(hash)).toBe(want);
  });
});

describe('clearHash', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('removes the hash with replaceState, keeping path and query', () => {
    window.history.replaceState({ idx: 0 }, '', '/set-password?x=1#token=secret');
    const spy = vi.spyOn(window.history, 'replaceState');
    clearHash();
    expect(spy).toHaveBeenCalledWith({ idx: 0 }, '', '/set-password?x=1');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname + window.location.search).toBe('/set-password?x=1');
  });
});

describe('checkNewPassword', () => {
  it('asks for 12 characters and the same password twice', () => {
    expect(checkNewPassword('', '')).toEqual({ password: 'Enter a new password.', confirm: 'Type the new password again.' });
    expect(checkNewPassword('short', 'short').password).toMatch(/at least 12 characters/);
    expect(checkNewPassword('long enough pass', 'long enough pas').confirm).toMatch(/do not match/);
    expect(checkNewPassword('long enough pass', 'long enough pass')).toEqual({});
  });
});
