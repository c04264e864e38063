// Renders the text part of a mail with its links as anchors. The mail is data,
// never markup: text becomes React text nodes (escaped), and only http(s) URLs
// become links. The HTML part of a mail is never put into the page.

import type { ReactNode } from 'react';
import { Link } from 'react-router';

export type MailPart =
  | { kind: 'text'; text: string }
  | { kind: 'link'; href: string; text: string; sameOrigin: boolean };

const URL_RE = /https?:\/\/[^\s<>"'`]+/g;
// Punctuation that ends a sentence rather than the URL.
const TRAILING = /[.,;:!?)\]]+$/;

/** Splits mail text into text and links; origin is the portal's own. */
export function splitMailText(text: string, origin: string): MailPart[] {
  const parts: MailPart[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let raw = m[0];
    const trail = TRAILING.exec(raw);
    if (trail) raw = raw.slice(0, raw.length - trail[0].length);
    const start = m.index ?? 0;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', href: url.href, text: raw, sameOrigin: url.origin === origin });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/**
 * The mail text with links: the portal's own links stay in this tab (so a
 * /set-password#token=… link opens the page here), others open a new tab.
 */
export function MailText({ text, origin = window.location.origin }: { text: string; origin?: string }): ReactNode {
  return splitMailText(text, origin).map((part, i) => {
    if (part.kind === 'text') return part.text;
    if (part.sameOrigin) {
      const u = new URL(part.href);
      return (
        <Link key={i} to={`${u.pathname}${u.search}${u.hash}`}>
          {part.text}
        </Link>
      );
    }
    return (
      <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
        {part.text}
      </a>
    );
  });
}

/**
 * Plain text of an HTML mail, for mail that has no text part. The HTML is
 * parsed into an inert document (no scripts run, nothing loads) and only its
 * text is kept; each link's address follows its text so it stays followable.
 */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, style, head').forEach((el) => el.remove());
  doc.querySelectorAll('a[href]').forEach((a) => {
    const href = a.getAttribute('href') ?? '';
    if (/^https?:\/\//i.test(href) && !(a.textContent ?? '').includes(href)) a.append(` (${href})`);
  });
  doc.querySelectorAll('br').forEach((br) => br.replaceWith('\n'));
  doc.querySelectorAll('p, div, tr, h1, h2, h3, li').forEach((el) => el.append('\n'));
  return (doc.body.textContent ?? '')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
