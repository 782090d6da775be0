// What the moderator page reads from moderation-service (docs/moderation-actions.md) and the
// few pure helpers it needs: plain words for errors, expiry choices, ages. No DOM here.

import { ApiError } from '../lib/api';
import type { Redaction } from '../lib/render';

export type SubjectKind = 'USER' | 'GUEST_FINGERPRINT' | 'IP_HASH';
export type RestrictionKind = 'BAN' | 'MUTE';

/** A ban or mute as the bans API and the report list give it. */
export interface Restriction {
  id: string;
  subjectKind: SubjectKind;
  subject: string;
  kind: RestrictionKind;
  reason?: string;
  createdBy?: string;
  createdAt?: string;
  expiresAt?: string | null;
  reportId?: string | null;
  note?: string | null;
}

export interface EvidenceMessage {
  messageId: string;
  seq?: number;
  sender?: { userId?: string; role?: string; displayName?: string };
  text?: string;
  redactions?: Redaction[];
  sentAt?: string;
}

export interface Report {
  reportId: string;
  reportedAt?: string;
  reporterId?: string;
  reportedUserId: string;
  conversationId?: string;
  reason?: string;
  messageIds?: string[];
  status: 'OPEN' | 'RESOLVED';
  resolution?: string | null;
  resolvedBy?: string | null;
  resolvedAt?: string | null;
  note?: string | null;
  /** The reported user's reputation score now (decays over time). */
  reputation?: number | null;
  activeBan?: Restriction | null;
  activeMute?: Restriction | null;
  evidence?: EvidenceMessage[];
  evidenceUnavailable?: boolean;
  /** Whether the reporter took part in the conversation (null: could not be checked). */
  reporterParticipant?: boolean | null;
}

/** The report list comes as an array or as a page object; both are read. */
export function reportsOf(page: unknown): Report[] {
  const raw = Array.isArray(page) ? page : (page as any)?.reports ?? (page as any)?.items ?? [];
  return (raw as Report[]).filter((r) => r && typeof r.reportId === 'string');
}

export function bansOf(page: unknown): Restriction[] {
  const raw = Array.isArray(page) ? page : (page as any)?.bans ?? (page as any)?.items ?? [];
  return (raw as Restriction[]).filter((b) => b && typeof b.id === 'string');
}

/** The expiry choices a moderator has; the value is the API's ISO-8601 duration, '' for permanent. */
export const EXPIRY_CHOICES: { value: string; label: string; words: string }[] = [
  { value: 'PT1H', label: '1 hour', words: 'for 1 hour' },
  { value: 'PT24H', label: '24 hours', words: 'for 24 hours' },
  { value: 'P7D', label: '7 days', words: 'for 7 days' },
  { value: '', label: 'Permanent', words: 'permanently' },
];

export function expiryWords(duration: string): string {
  return EXPIRY_CHOICES.find((c) => c.value === duration)?.words ?? `for ${duration}`;
}

/**
 * Reason codes a moderator picks from: the API takes 1-64 letters, digits, spaces and _ . -
 * (the reason goes into the audit trail and onto moderation.actions.v1); free text goes to the note.
 */
export const REASONS = ['abuse', 'harassment', 'spam', 'phishing', 'fraud', 'impersonation', 'other'];

export const LIFT_REASONS: { value: string; label: string }[] = [
  { value: 'appeal_granted', label: 'Appeal granted' },
  { value: 'mistake', label: 'Applied by mistake' },
  { value: 'behaviour_improved', label: 'Behaviour improved' },
  { value: 'lifted', label: 'Other' },
];

/** Fingerprints and IP hashes are 64 lowercase hex characters; user ids at most 128 characters. */
export function subjectProblem(kind: SubjectKind, subject: string): string | undefined {
  if (!subject) return kind === 'USER' ? 'Please give the user id.' : `Please give the ${kind === 'IP_HASH' ? 'IP hash' : 'guest fingerprint'}.`;
  if (kind === 'USER') return subject.length > 128 ? 'A user id has at most 128 characters.' : undefined;
  return /^[0-9a-f]{64}$/.test(subject) ? undefined : `A ${kind === 'IP_HASH' ? 'IP hash' : 'guest fingerprint'} is 64 characters 0-9 and a-f.`;
}

/** Who made a ban, in words: "you", "automatic (reputation)" or the user id. */
export function actorWords(createdBy: string | undefined | null, me: string): string {
  if (!createdBy) return 'unknown';
  if (createdBy === me) return 'you';
  if (createdBy.startsWith('system:')) return `automatic (${createdBy.slice(7)})`;
  return shortId(createdBy, 18);
}

export const SUBJECT_WORDS: Record<SubjectKind, string> = {
  USER: 'User',
  GUEST_FINGERPRINT: 'Guest fingerprint',
  IP_HASH: 'IP hash',
};

/** Long opaque ids shortened for lists (the full id stays in the title and the detail). */
export function shortId(id: string | undefined | null, keep = 10): string {
  if (!id) return '';
  return id.length > keep + 1 ? `${id.slice(0, keep)}…` : id;
}

/** "just now", "4 min ago", "3 h ago", "2 days ago". */
export function ago(iso: string | undefined | null, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** "until 14:05 (in 59 min)" or "permanent". */
export function untilWords(iso: string | undefined | null, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (isNaN(t)) return 'permanent';
  const d = new Date(t);
  const sameDay = d.toDateString() === new Date(now).toDateString();
  const at = sameDay ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  const m = Math.max(0, Math.round((t - now) / 60_000));
  const left = m < 60 ? `${m} min` : m < 48 * 60 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} days`;
  return `until ${at} (in ${left})`;
}

export function reputationWords(score: number | null | undefined): string {
  if (typeof score !== 'number' || !isFinite(score)) return 'reputation unknown';
  return `reputation score ${Math.round(score * 10) / 10}`;
}

/** An API failure in plain words for a moderator. */
export function moderationError(e: unknown, what = 'That did not work.'): string {
  if (!(e instanceof ApiError)) return `${what} Please try again.`;
  switch (e.status) {
    case 0:
      return 'The service cannot be reached. Check your connection and try again.';
    case 401:
      return 'Your sign-in has expired. Please sign in again.';
    case 403:
      return 'You are not a moderator: this account may not use the moderation tools.';
    case 404:
      return 'It is not there any more (someone else may have handled it). The lists are refreshed.';
    case 409:
      return e.message && e.message !== 'Request failed (409).' ? e.message : 'Someone else changed it first. The lists are refreshed.';
    case 429:
      return 'Too many requests. Please wait a moment.';
    case 502:
    case 503:
    case 504:
      return 'The moderation service is unavailable right now. Please try again in a minute.';
    default:
      if (e.status >= 500) return 'The moderation service had a problem. Please try again in a minute.';
      // 400 and the like: the server's own words say what to fix.
      return e.message || what;
  }
}
