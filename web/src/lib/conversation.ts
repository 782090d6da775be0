// What a client knows of one conversation: its state, the messages by seq (each once, in
// order), the messages it sent and their delivery state, and how far the others have read.

import type { Frame } from './connection';
import type { Redaction } from './render';

export type Delivery = 'sending' | 'sent' | 'delivered' | 'read' | 'rejected';

export interface ChatMessage {
  seq?: number;
  messageId?: string;
  clientMsgId?: string;
  conversationId: string;
  sender: { userId: string; role: string; displayName?: string; verifiedAgent?: boolean };
  text: string;
  redactions: Redaction[];
  sentAt?: string;
  mine: boolean;
  delivery?: Delivery;
  reason?: string;
  /** Resends after the server said it could not take the message (error code internal). */
  retries?: number;
}

/**
 * The gateway answers {@code internal} when the broker did not take a message: send it again
 * (same clientMsgId, so never twice) after 1, 2, 4, 8, 16 s; false when it is time to give up.
 */
export function retryLater(m: ChatMessage, resend: () => void): boolean {
  const n = (m.retries ?? 0) + 1;
  if (n > 5) return false;
  m.retries = n;
  window.setTimeout(resend, 1000 * 2 ** (n - 1));
  return true;
}

export class ConversationModel {
  state: 'starting' | 'queued' | 'assigned' | 'closed' = 'starting';
  queue = '';
  position?: number;
  agent?: { userId: string; displayName?: string };
  customer?: { userId: string; displayName?: string; guest?: boolean };
  /** Accepted messages by seq. */
  readonly bySeq = new Map<number, ChatMessage>();
  /** Messages this client sent that have no seq yet, by clientMsgId, in send order. */
  readonly pending = new Map<string, ChatMessage>();
  /** Highest seq the other participants have read. */
  othersReadSeq = 0;
  /** Highest seq this client reported as read. */
  myReadSeq = 0;
  /** System lines ("the agent joined"), each placed after the last seq known when it happened. */
  readonly notes: { key: string; afterSeq: number; text: string }[] = [];
  unread = 0;
  typingUntil = 0;
  typingName = '';

  constructor(public id: string, readonly me: () => string) {}

  /** Highest seq with every seq below it present: where a resume starts. */
  get contiguousSeq(): number {
    let s = 0;
    while (this.bySeq.has(s + 1)) s++;
    return s;
  }

  get lastSeq(): number {
    let max = 0;
    for (const s of this.bySeq.keys()) max = Math.max(max, s);
    return max;
  }

  note(text: string): void {
    this.notes.push({ key: `note-${this.notes.length + 1}`, afterSeq: this.lastSeq, text });
  }

  /**
   * Everything to show, in order: accepted messages by seq with the notes between them, then the
   * messages still on their way (in send order).
   */
  timeline(): ({ kind: 'message'; key: string; message: ChatMessage } | { kind: 'note'; key: string; text: string })[] {
    const out: any[] = [];
    const accepted = [...this.bySeq.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    let n = 0;
    const notes = [...this.notes].sort((a, b) => a.afterSeq - b.afterSeq);
    for (const m of accepted) {
      while (n < notes.length && notes[n].afterSeq < (m.seq ?? 0)) out.push({ kind: 'note', key: notes[n].key, text: notes[n++].text });
      out.push({ kind: 'message', key: m.clientMsgId ?? m.messageId!, message: m });
    }
    while (n < notes.length) out.push({ kind: 'note', key: notes[n].key, text: notes[n++].text });
    for (const m of this.pending.values()) out.push({ kind: 'message', key: m.clientMsgId!, message: m });
    return out;
  }

  addOutgoing(clientMsgId: string, text: string): ChatMessage {
    const m: ChatMessage = {
      clientMsgId,
      conversationId: this.id,
      sender: { userId: this.me(), role: 'me' },
      text,
      redactions: [],
      mine: true,
      delivery: 'sending',
    };
    this.pending.set(clientMsgId, m);
    return m;
  }

  ack(clientMsgId: string, messageId: string): boolean {
    const m = this.pending.get(clientMsgId);
    if (!m) return false;
    m.messageId = messageId;
    // After a reconnect the replay may bring the message before the ack of its resend.
    for (const s of this.bySeq.values()) {
      if (s.messageId === messageId) {
        this.pending.delete(clientMsgId);
        s.clientMsgId = clientMsgId;
        return true;
      }
    }
    if (m.delivery === 'sending') m.delivery = 'sent';
    return true;
  }

  reject(clientMsgId: string, reason: string): boolean {
    const m = this.pending.get(clientMsgId);
    if (!m) return false;
    m.delivery = 'rejected';
    m.reason = reason;
    return true;
  }

  /** A sequenced message; returns false when it was already known (a replay or a redelivery). */
  accept(f: Frame): boolean {
    const seq = Number(f.seq);
    if (!Number.isInteger(seq) || seq < 1 || this.bySeq.has(seq)) return false;
    const mine = f.sender?.userId === this.me();
    let m: ChatMessage | undefined;
    if (mine) {
      for (const [cid, p] of this.pending) {
        if (p.messageId === f.messageId) {
          m = p;
          this.pending.delete(cid);
          break;
        }
      }
    }
    const msg: ChatMessage = {
      ...(m ?? {}),
      seq,
      messageId: f.messageId,
      conversationId: this.id,
      sender: f.sender ?? { userId: '?', role: '?' },
      text: String(f.text ?? ''),
      redactions: Array.isArray(f.redactions) ? f.redactions : [],
      sentAt: f.sentAt,
      mine,
      delivery: mine ? (seq <= this.othersReadSeq ? 'read' : 'delivered') : undefined,
    };
    this.bySeq.set(seq, msg);
    return true;
  }

  /** Resent after a reconnect: sent but not yet sequenced (the server drops duplicates by clientMsgId). */
  unsequenced(): ChatMessage[] {
    return [...this.pending.values()].filter((m) => m.delivery === 'sending' || m.delivery === 'sent');
  }

  markOthersRead(seq: number): void {
    if (seq <= this.othersReadSeq) return;
    this.othersReadSeq = seq;
    for (const m of this.bySeq.values()) {
      if (m.mine && (m.seq ?? 0) <= seq) m.delivery = 'read';
    }
  }

  /** Plain-text transcript of what this client holds, in seq order. */
  transcript(title: string): string {
    const lines = [`${title}`, `Conversation ${this.id} (queue ${this.queue})`, `Exported ${new Date().toISOString()}`, ''];
    for (const m of [...this.bySeq.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))) {
      lines.push(`[${m.sentAt ?? ''}] #${m.seq} ${m.sender.displayName ?? m.sender.role}: ${m.text}`);
    }
    return lines.join('\n') + '\n';
  }
}

export function deliveryWords(m: ChatMessage): string {
  switch (m.delivery) {
    case 'sending':
      return 'Sending…';
    case 'sent':
      return 'Sent';
    case 'delivered':
      return 'Delivered';
    case 'read':
      return 'Read';
    case 'rejected':
      return `Not sent: ${m.reason ?? ''}`;
    default:
      return '';
  }
}
