// Message text is always rendered as text (DOM text nodes), never parsed as HTML. Links become
// anchors that show their real host next to them and open with rel="noopener noreferrer";
// redacted spans are shown as redacted.

export interface Redaction {
  kind: string;
  start: number;
  end: number;
}

const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;

const KIND_WORDS: Record<string, string> = {
  card: 'card number',
  payment_card: 'card number',
  iban: 'bank account number',
  ssn: 'national id number',
  national_id: 'national id number',
};

/** Builds an element tree (no HTML parsing) for message text. */
export function renderText(text: string, redactions: Redaction[] = []): DocumentFragment {
  const frag = document.createDocumentFragment();
  const spans = [...(redactions ?? [])]
    .filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.end <= text.length && r.start < r.end)
    .sort((a, b) => a.start - b.start);
  let at = 0;
  for (const r of spans) {
    if (r.start < at) continue;
    appendLinked(frag, text.slice(at, r.start));
    const mark = document.createElement('mark');
    mark.className = 'redacted';
    const what = KIND_WORDS[r.kind] ?? 'sensitive data';
    mark.title = `Redacted: ${what}`;
    mark.setAttribute('aria-label', `redacted ${what}: ${text.slice(r.start, r.end)}`);
    mark.textContent = text.slice(r.start, r.end);
    frag.append(mark);
    at = r.end;
  }
  appendLinked(frag, text.slice(at));
  return frag;
}

function appendLinked(parent: Node, text: string): void {
  let at = 0;
  for (const m of text.matchAll(LINK)) {
    const raw = trimPunctuation(m[0]);
    const start = m.index ?? 0;
    parent.appendChild(document.createTextNode(text.slice(at, start)));
    const url = safeUrl(raw);
    if (url) {
      const a = document.createElement('a');
      a.href = url.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = raw;
      a.className = 'msg-link';
      const host = document.createElement('span');
      host.className = 'link-host';
      host.textContent = ` (${url.hostname})`;
      a.title = `Opens ${url.hostname} in a new tab`;
      parent.appendChild(a);
      parent.appendChild(host);
    } else {
      parent.appendChild(document.createTextNode(raw));
    }
    at = start + raw.length;
  }
  parent.appendChild(document.createTextNode(text.slice(at)));
}

function trimPunctuation(s: string): string {
  return s.replace(/[.,;:!?)\]]+$/, '');
}

/** Only http and https links are clickable; the host shown is the one the browser will visit (punycode included). */
export function safeUrl(raw: string): URL | null {
  try {
    const u = new URL(raw.toLowerCase().startsWith('www.') ? `https://${raw}` : raw);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}

/** A tiny element builder: tag, attributes/properties, children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, any> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'innerHTML' || k === 'outerHTML') throw new Error('el() never sets HTML');
    if (k === 'class') e.className = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k.startsWith('aria-') || k.startsWith('data-') || k === 'role' || k === 'for' || k === 'tabindex') e.setAttribute(k, String(v));
    else (e as any)[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const CODE_WORDS: Record<string, string> = {
  bad_request: 'The message could not be read by the server.',
  forbidden: 'You cannot send messages in this conversation.',
  not_found: 'This conversation does not exist any more.',
  rate_limited: 'You are sending messages too quickly. Please wait a moment.',
  too_large: 'The message is too long.',
  blocked_content: 'The message was blocked because it contains content that is not allowed.',
  phishing: 'The message was blocked because it looks like a phishing attempt.',
  malware: 'The attachment was blocked because it may contain malware.',
  banned: 'You have been blocked from chatting.',
  muted: 'You have been muted for a while and cannot send messages.',
  conversation_closed: 'The conversation has ended.',
  token_expired: 'Your session has expired. Please sign in again.',
  internal: 'Something went wrong on our side. Please try again.',
};

/** The reason a message was refused, in plain words (the server's words when it gives some). */
export function plainReason(code: string, serverReason?: string): string {
  return serverReason && serverReason.trim() ? serverReason : CODE_WORDS[code] ?? 'The message was not accepted.';
}

export function uuid(): string {
  return crypto.randomUUID();
}

/**
 * Brings a list element to the wanted children in the wanted order, reusing the elements that
 * are already there by key (data-key) and moving only what is out of place, so that a live
 * region announces new messages rather than the whole list again.
 */
export function reconcile(list: HTMLElement, wanted: { key: string; render: () => HTMLElement; update?: (e: HTMLElement) => void }[]): void {
  const existing = new Map<string, HTMLElement>();
  for (const c of Array.from(list.children) as HTMLElement[]) {
    if (c.dataset.key) existing.set(c.dataset.key, c);
  }
  const keep = new Set<HTMLElement>();
  let i = 0;
  for (const w of wanted) {
    let node = existing.get(w.key);
    const fresh = w.render();
    fresh.dataset.key = w.key;
    if (node) {
      if (node.outerHTML !== fresh.outerHTML) {
        if (sameButStatus(node, fresh)) {
          // Only the delivery state changed: update it in place, so that screen readers do
          // not hear the whole message again.
          node.className = fresh.className;
          if (fresh.dataset.seq) node.dataset.seq = fresh.dataset.seq;
          const a = node.querySelector<HTMLElement>('.delivery');
          const b = fresh.querySelector<HTMLElement>('.delivery');
          if (a && b) {
            a.textContent = b.textContent;
            if (b.dataset.state) a.dataset.state = b.dataset.state;
          }
          const ta = node.querySelector('time');
          const tb = fresh.querySelector('time');
          if (ta && tb) ta.textContent = tb.textContent;
        } else {
          node.replaceWith(fresh);
          node = fresh;
        }
      }
    } else {
      node = fresh;
    }
    keep.add(node);
    const at = list.children[i];
    if (at !== node) list.insertBefore(node, at ?? null);
    i++;
  }
  for (const c of Array.from(list.children) as HTMLElement[]) if (!keep.has(c)) c.remove();
}

function sameButStatus(a: HTMLElement, b: HTMLElement): boolean {
  const strip = (e: HTMLElement) => {
    const c = e.cloneNode(true) as HTMLElement;
    c.querySelector('.delivery')?.remove();
    c.querySelector('time')?.remove();
    c.removeAttribute('class');
    c.removeAttribute('data-seq');
    return c.outerHTML;
  };
  return !!a.querySelector('.delivery') && strip(a) === strip(b);
}

/** Sets text only when it changed, so that a live region speaks only on news. */
export function setText(e: HTMLElement, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}
