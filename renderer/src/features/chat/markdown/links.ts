/**
 * Links in answers lead off the computer, so they open only after the user has seen the address and
 * agreed; then in a new browsing context with no way back to this page (noopener, noreferrer).
 */
import { SAFE_URL } from './render.js';

export interface LinkOpener {
  confirm(message: string): boolean;
  open(url: string, target: string, features: string): unknown;
}

/** Returns whether the link was opened. */
export function openExternalLink(href: string, opener: LinkOpener = window): boolean {
  const url = href.trim();
  if (!SAFE_URL.test(url)) return false;
  if (!opener.confirm(`Open this link in your browser?\n\n${url}`)) return false;
  opener.open(url, '_blank', 'noopener,noreferrer');
  return true;
}
