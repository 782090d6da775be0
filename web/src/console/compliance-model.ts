// What the compliance page reads from audit-service (/api/v1/audit/**) and the pure helpers it
// needs: the search filters and their checks, plain words for outcomes, chain checks and
// errors, a record's details as key/value pairs, file names of downloads. No DOM here.

import { ApiError } from '../lib/api';

export type Outcome = 'SUCCESS' | 'DENIED' | 'FAILURE';

/** One event as services send it on audit.events.v1 (docs/events.md). */
export interface AuditEvent {
  v?: number;
  eventId: string;
  occurredAt?: string;
  actor?: { userId?: string | null; roles?: string[] | null; ip?: string | null } | null;
  action?: string;
  resource?: { type?: string | null; id?: string | null } | null;
  outcome?: Outcome | string;
  details?: Record<string, unknown> | null;
  service?: string;
}

/** A stored record: the event with its place in the hash chain. */
export interface AuditRecord {
  seq: number;
  recordedAt?: string;
  hash?: string;
  prevHash?: string;
  event: AuditEvent;
}

export interface AuditPage {
  items: AuditRecord[];
  nextBefore: number | null;
}

export interface TreeHead {
  treeSize: number;
  rootHash: string;
  timestamp?: string | number;
  keyId?: string;
  signature?: string;
}

export interface InclusionProof {
  eventId: string;
  seq?: number;
  leafIndex: number;
  treeSize: number;
  leafHash?: string;
  path?: string[];
  entry?: unknown;
  treeHead?: TreeHead;
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  checkedAt?: string;
  firstBroken?: { seq: number; eventId?: string | null; problem?: string; message?: string } | null;
  checkpoint?: { treeSize?: number; ok: boolean; message?: string } | null;
}

export interface SigningKey {
  keyId: string;
  algorithm?: string;
  publicKey: string;
}

/** The page reads what it can of a page of records and drops what is not a record. */
export function pageOf(raw: unknown): AuditPage {
  const items = Array.isArray((raw as any)?.items) ? (raw as any).items : Array.isArray(raw) ? raw : [];
  const next = (raw as any)?.nextBefore;
  return {
    items: (items as AuditRecord[]).filter((r) => r && typeof r.seq === 'number' && r.event && typeof r.event.eventId === 'string'),
    nextBefore: typeof next === 'number' && Number.isFinite(next) ? next : null,
  };
}

// ---- search filters ----

export interface Filters {
  actor: string;
  action: string;
  resource: string;
  /** datetime-local values (local time, no zone); '' for open ends. */
  from: string;
  to: string;
}

export type FilterField = keyof Filters;

export const PERIODS: { value: string; label: string; ms?: number }[] = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'All time' },
  { value: 'custom', label: 'Chosen dates' },
];

export const DEFAULT_PERIOD = '24h';
export const PAGE_SIZES = [50, 100, 200, 500];
export const MAX_LIMIT = 500;

/** Actions and prefixes offered as suggestions (docs/events.md); any other action may be typed. */
export const ACTION_SUGGESTIONS = [
  'audit.*', 'guest.*', 'guest.session.created', 'connection.*', 'connection.opened',
  'message.*', 'message.rejected', 'message.redacted', 'report.*', 'moderation.*', 'moderation.ban',
  'moderation.unban', 'moderation.mute', 'moderation.unmute', 'transcript.*', 'transcript.read',
  'transcript.integrity_failure', 'attachment.*', 'retention.*', 'legal_hold.*', 'privacy.*', 'key.rotated',
];

/** The from/to inputs for a period ending now (to stays open: "until now"). */
export function periodRange(period: string, now = Date.now()): { from: string; to: string } | undefined {
  const p = PERIODS.find((x) => x.value === period);
  if (!p || p.value === 'custom') return undefined;
  return { from: p.ms ? toLocalInput(new Date(now - p.ms)) : '', to: '' };
}

/** A Date as a datetime-local value in the browser's time zone: 2026-11-03T14:05. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value (local time) as an instant; undefined when it is no date. */
export function fromLocalInput(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const d = new Date(value); // without an offset: local time
  return isNaN(d.getTime()) ? undefined : d;
}

const ACTION = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?$/;
const RESOURCE_TYPE = /^[A-Za-z0-9_.-]+$/;

/**
 * The query of the current filters (without limit and paging), or the first problem in words
 * with the field to fix. The same query serves the search and the export.
 */
export function filterQuery(f: Filters): { query: URLSearchParams; problem?: undefined; field?: undefined } | { problem: string; field: FilterField; query?: undefined } {
  const q = new URLSearchParams();
  const actor = f.actor.trim();
  if (actor.length > 128) return { field: 'actor', problem: 'A user id has at most 128 characters.' };
  if (actor) q.set('actor', actor);
  const action = f.action.trim();
  if (action) {
    if (action.length > 128 || !ACTION.test(action)) {
      return { field: 'action', problem: 'An action is a name such as message.rejected, or a prefix ending in .* such as moderation.*' };
    }
    q.set('action', action);
  }
  const resource = f.resource.trim();
  if (resource) {
    const colon = resource.indexOf(':');
    const type = colon < 0 ? resource : resource.slice(0, colon);
    const id = colon < 0 ? undefined : resource.slice(colon + 1);
    if (!RESOURCE_TYPE.test(type) || id === '' || resource.length > 300 || /\s/.test(resource)) {
      return { field: 'resource', problem: 'A resource is a type such as conversation, or type:id such as conversation:0193…' };
    }
    q.set('resource', resource);
  }
  let from: Date | undefined;
  if (f.from) {
    from = fromLocalInput(f.from);
    if (!from) return { field: 'from', problem: 'The start of the time range is not a date and time.' };
    q.set('from', from.toISOString());
  }
  if (f.to) {
    const to = fromLocalInput(f.to);
    if (!to) return { field: 'to', problem: 'The end of the time range is not a date and time.' };
    if (from && to.getTime() < from.getTime()) return { field: 'to', problem: 'The end of the time range is before its start.' };
    q.set('to', to.toISOString());
  }
  return { query: q };
}

/** The search's query: the filters, a page size (at most 500) and the paging cursor. */
export function searchQuery(filters: URLSearchParams, limit: number, before?: number | null): URLSearchParams {
  const q = new URLSearchParams(filters);
  q.set('limit', String(Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit) || 100))));
  if (typeof before === 'number') q.set('before', String(before));
  return q;
}

/** The filters in words, for the results' caption and the export line. */
export function filterWords(q: URLSearchParams): string {
  const parts: string[] = [];
  if (q.get('actor')) parts.push(`actor ${q.get('actor')}`);
  if (q.get('action')) parts.push(`action ${q.get('action')}`);
  if (q.get('resource')) parts.push(`resource ${q.get('resource')}`);
  const from = q.get('from');
  const to = q.get('to');
  if (from && to) parts.push(`from ${stamp(from)} to ${stamp(to)}`);
  else if (from) parts.push(`since ${stamp(from)}`);
  else if (to) parts.push(`until ${stamp(to)}`);
  return parts.length ? parts.join(', ') : 'all records';
}

// ---- words ----

/** A time as 2026-11-03 14:05:09 in the browser's time zone (the ISO instant goes in a title). */
export function stamp(iso: string | number | undefined | null): string {
  if (iso === undefined || iso === null || iso === '') return '';
  const d = typeof iso === 'number' ? new Date(iso < 1e12 ? iso * 1000 : iso) : new Date(iso);
  if (isNaN(d.getTime())) return String(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The browser's offset from UTC: "UTC+01:00". */
export function zoneWords(d = new Date()): string {
  const m = -d.getTimezoneOffset();
  const p = (n: number) => String(Math.floor(n)).padStart(2, '0');
  return `UTC${m < 0 ? '-' : '+'}${p(Math.abs(m) / 60)}:${p(Math.abs(m) % 60)}`;
}

export const OUTCOME_WORDS: Record<string, string> = { SUCCESS: 'Success', DENIED: 'Denied', FAILURE: 'Failure' };

export function outcomeWords(o: string | undefined | null): string {
  return o ? OUTCOME_WORDS[o] ?? o : 'unknown';
}

export function actorOf(e: AuditEvent): string {
  return e.actor?.userId || 'system';
}

export function resourceOf(e: AuditEvent): string {
  const t = e.resource?.type;
  const id = e.resource?.id;
  if (!t && !id) return '';
  return id ? `${t ?? '?'}:${id}` : String(t);
}

/** Long opaque ids shortened for the table (the full id stays in the title and the record). */
export function shortId(id: string | undefined | null, keep = 10): string {
  if (!id) return '';
  return id.length > keep + 1 ? `${id.slice(0, keep)}…` : id;
}

export function count(n: number): string {
  return Number(n).toLocaleString('en-US');
}

/**
 * A record's details as key/value pairs in order: nested objects flattened with dots
 * (scan.verdict), arrays of plain values joined with commas, other arrays and values as JSON.
 * Everything ends up as text; nothing is interpreted.
 */
export function detailEntries(details: unknown, prefix = '', out: [string, string][] = [], depth = 0): [string, string][] {
  if (details === null || details === undefined) return out;
  if (typeof details !== 'object' || Array.isArray(details)) {
    out.push([prefix || 'value', valueWords(details)]);
    return out;
  }
  for (const [k, v] of Object.entries(details as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && depth < 4 && Object.keys(v).length) detailEntries(v, key, out, depth + 1);
    else out.push([key, valueWords(v)]);
  }
  return out;
}

function valueWords(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) {
    return v.length ? v.map((x) => String(x)).join(', ') : '(none)';
  }
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

const PROBLEM_WORDS: Record<string, (seq: number) => string> = {
  hash_mismatch: (s) => `Record #${s} was changed after it was written`,
  prev_hash_mismatch: (s) => `The chain is broken at record #${s}: the record before it was changed or deleted`,
  missing_records: (s) => `Records are missing at #${s}: they were deleted`,
  moved_record: (s) => `Record #${s} was moved from its place in the log`,
  columns_mismatch: (s) => `Record #${s} was changed: its stored columns differ from its hashed content`,
};

/** A chain check in plain words: the headline and the further lines. */
export function verifyWords(r: VerifyResult): { ok: boolean; headline: string; lines: string[] } {
  const lines: string[] = [];
  const n = typeof r.records === 'number' ? r.records : 0;
  let headline: string;
  if (r.ok) {
    headline = n === 0 ? 'The log is empty: there is nothing to check yet.'
      : n === 1 ? 'The 1 record is intact.' : `All ${count(n)} records are intact.`;
  } else if (r.firstBroken) {
    const b = r.firstBroken;
    const said = PROBLEM_WORDS[b.problem ?? '']?.(b.seq) ?? `Record #${b.seq} fails the check (${b.problem ?? 'unknown problem'})`;
    headline = `${said}.`;
    if (b.message) lines.push(b.message);
    if (b.eventId) lines.push(`Event id ${b.eventId}.`);
    lines.push(`${count(n)} records were checked. Keep the log as it is and report this to security.`);
  } else {
    headline = 'The chain check failed.';
    lines.push(`${count(n)} records were checked.`);
  }
  if (r.checkpoint) {
    const c = r.checkpoint;
    const size = typeof c.treeSize === 'number' ? ` (tree size ${count(c.treeSize)})` : '';
    lines.push(c.ok ? `The latest signed checkpoint${size} matches the log.${c.message ? ` ${c.message}` : ''}`
      : `The latest signed checkpoint${size} does not match: ${c.message ?? 'the log differs from what was signed'}.`);
  } else if (r.ok) {
    lines.push('There is no signed checkpoint yet to compare with.');
  }
  if (r.checkedAt) lines.push(`Checked at ${stamp(r.checkedAt)}.`);
  return { ok: !!r.ok && (!r.checkpoint || r.checkpoint.ok), headline, lines };
}

// ---- downloads ----

/** The file name a response names (Content-Disposition), reduced to safe characters. */
export function dispositionName(header: string | null | undefined, fallback: string): string {
  let name: string | undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header ?? '');
  if (star) {
    try {
      name = decodeURIComponent(star[1].trim());
    } catch {
      name = undefined;
    }
  }
  if (!name) name = /filename\s*=\s*"([^"]*)"/.exec(header ?? '')?.[1] ?? /filename\s*=\s*([^;\s]+)/.exec(header ?? '')?.[1];
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return base && base.length <= 120 ? base : fallback;
}

/**
 * A signing key as the offline verifier reads it (the same form as the stack's
 * .run/keys/audit-signing.pub): the base64 of the raw 32-byte Ed25519 key and a newline. An
 * Ed25519 SubjectPublicKeyInfo (44 bytes) loses its 12-byte prefix; anything else is refused.
 */
export function publicKeyFile(base64: string): string {
  const clean = base64.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
  const prefix = '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00';
  const raw = bin.length === 44 && bin.startsWith(prefix) ? bin.slice(12) : bin;
  if (raw.length !== 32) throw new Error('not an Ed25519 public key');
  return `${btoa(raw)}\n`;
}

export const OFFLINE_COMMAND = './chat audit-verify audit-export.ndjson --public-key audit-signing.pub';

export function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// ---- errors ----

/** An API failure in plain words for a compliance officer. */
export function complianceError(e: unknown, what = 'That did not work.'): string {
  if (!(e instanceof ApiError)) return `${what} Please try again.`;
  switch (e.status) {
    case 0:
      return 'The service cannot be reached. Check your connection and try again.';
    case 401:
      return 'Your sign-in has expired. Please sign in again.';
    case 403:
      return 'You are not a compliance officer: this account may not read the audit trail.';
    case 404:
      return `${what} It is not in the audit log.`;
    case 429:
      return 'Too many requests. Please wait a moment.';
    case 502:
    case 503:
    case 504:
      return 'The audit service is unavailable right now. Please try again in a minute.';
    default:
      if (e.status >= 500) return 'The audit service had a problem. Please try again in a minute.';
      // 400 and the like: the server's own words say what to fix.
      return e.message && !/^Request failed/.test(e.message) ? e.message : what;
  }
}
