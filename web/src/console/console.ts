// SecureChat agent console: agents set their status and capacity, take conversations from the
// queues, answer several side by side, transfer, close and report; supervisors also watch the
// conversations in progress in their queues and open any of them. Sign-in through Keycloak
// (code flow with PKCE; staff must enter a one-time code); tokens only in memory.

import { Api, ApiError, type ClientConfig } from '../lib/api';
import { ChatConnection, type ConnectionState, type Frame } from '../lib/connection';
import { ConversationModel, deliveryWords, retryLater, type ChatMessage } from '../lib/conversation';
import { OidcClient } from '../lib/oidc';
import { el, formatDuration, formatTime, plainReason, reconcile, renderText, setText, uuid } from '../lib/render';
import { CompliancePage } from './compliance';
import { ModerationPage } from './moderation';

interface Summary {
  conversationId: string;
  queue: string;
  state: string;
  subject?: string;
  customer?: { userId: string; displayName?: string; guest?: boolean };
  agent?: { userId: string; displayName?: string } | null;
  createdAt?: string;
  closedAt?: string;
  lastSeq?: number;
}

interface Pane {
  model: ConversationModel;
  root: HTMLElement;
  log: HTMLOListElement;
  typing: HTMLElement;
  composer: HTMLTextAreaElement;
  send: HTMLButtonElement;
  badge: HTMLElement;
  title: HTMLElement;
  stateLine: HTMLElement;
  drawer: HTMLElement;
  tab: HTMLLIElement;
  lastTypingSent: number;
  typingTimer?: number;
  /** Transferred away from this agent: read-only from then on. */
  handedOff?: boolean;
}

const api = new Api('');
const banner = document.getElementById('banner')!;
const app = document.getElementById('app')!;

function showBanner(text: string, kind: 'insecure' | 'lost' | 'error'): void {
  banner.textContent = text;
  banner.className = `banner ${kind}`;
  banner.hidden = false;
}

function hideBanner(kind: string): void {
  if (banner.classList.contains(kind)) banner.hidden = true;
}

class Console {
  private conn!: ChatConnection;
  private userId = '';
  private roles: string[] = [];
  private readonly panes = new Map<string, Pane>();
  private queues: { id: string; displayName: string }[] = [];
  private agents: { userId: string; displayName: string; status: string; capacity: number; active: number }[] = [];
  private status = 'offline';
  private capacity = 3;

  // DOM
  private queueCard!: HTMLElement;
  private tabs!: HTMLUListElement;
  private panesEl!: HTMLElement;
  private connBadge!: HTMLElement;
  private statusSelect!: HTMLSelectElement;
  private capacityInput!: HTMLInputElement;

  constructor(private readonly cfg: ClientConfig, private readonly oidc: OidcClient, private readonly moderator = false,
    private readonly compliance = false) {}

  private get auth() {
    return { bearer: this.oidc.accessToken };
  }

  private get supervisor(): boolean {
    return this.roles.includes('supervisor');
  }

  start(): void {
    const c = this.oidc.claims!;
    this.userId = c.sub;
    this.roles = c.realm_access?.roles ?? [];
    const name = c.name ?? c.preferred_username ?? 'Agent';
    this.statusSelect = el('select', { id: 'status', onchange: () => this.applyStatus() },
      el('option', { value: 'online' }, 'Online'), el('option', { value: 'away' }, 'Away'), el('option', { value: 'offline' }, 'Offline'));
    this.statusSelect.value = this.status; // offline until the server says otherwise
    this.capacityInput = el('input', { id: 'capacity', type: 'number', min: 1, max: 50, value: '3', size: 3 });
    this.capacityInput.addEventListener('change', () => this.applyStatus());
    this.connBadge = el('span', { class: 'conn', role: 'status', 'aria-live': 'polite', 'data-state': 'connecting' }, 'Connecting…');
    const isAgent = this.roles.includes('agent');
    const top = el('header', { class: 'topbar' },
      el('h1', {}, 'SecureChat console'),
      el('span', { id: 'me' }, `${name} (${this.roles.filter((r) => ['agent', 'supervisor'].includes(r)).join(', ')})`),
      isAgent ? el('label', {}, 'Status', this.statusSelect) : null,
      isAgent ? el('label', {}, 'Capacity', this.capacityInput) : null,
      this.moderator ? el('a', { class: 'toplink', href: '/console/moderation.html', target: '_blank', rel: 'noopener' }, 'Moderation') : null,
      this.compliance ? el('a', { class: 'toplink', href: '/console/compliance.html', target: '_blank', rel: 'noopener' }, 'Compliance') : null,
      el('span', { class: 'spacer' }),
      this.connBadge,
      el('button', { type: 'button', onclick: () => this.oidc.signOut(`${location.origin}/console/`) }, 'Sign out'));
    this.queueCard = el('section', { class: 'card', 'aria-labelledby': 'queues-h' }, el('h2', { id: 'queues-h' }, 'Queues'));
    this.tabs = el('ul', { class: 'list', id: 'my-conversations' });
    const mine = el('section', { class: 'card', 'aria-labelledby': 'mine-h' }, el('h2', { id: 'mine-h' }, 'My conversations'), this.tabs);
    this.panesEl = el('main', { class: 'panes', id: 'conversations', 'aria-label': 'Open conversations', tabindex: '-1' },
      el('p', { class: 'empty' }, this.supervisor && !isAgent
        ? 'No open conversations. Open one from a queue\'s "In progress" list to join it.'
        : 'No open conversations. Set your status to Online to receive conversations, or accept one from a queue.'));
    app.replaceChildren(top, el('div', { class: 'layout' }, el('aside', { class: 'side' }, mine, this.queueCard), this.panesEl));

    this.conn = new ChatConnection({
      url: location.origin.replace(/^http/, 'ws') + this.cfg.webSocketPath,
      subprotocol: this.cfg.subprotocol,
      heartbeatSec: this.cfg.heartbeatSec,
      ticket: async () => (await api.json<any>('/api/v1/tickets', { method: 'POST', auth: this.auth })).ticket,
      onFrame: (f) => this.onFrame(f),
      onState: (s, d) => this.onConnState(s, d),
      onFatal: (_code, reason) => showBanner(reason, 'error'),
    });
    this.oidc.onTokens = (t) => this.conn.send({ type: 'auth.refresh', token: t.accessToken });
    this.oidc.onExpired = () => showBanner('Your sign-in has expired. Please sign in again.', 'error');
    this.conn.start();
    void this.loadQueues();
    window.setInterval(() => void this.refreshQueues(), 3_000);
    window.setInterval(() => this.tickWaiting(), 1_000);
    document.addEventListener('visibilitychange', () => this.panes.forEach((p) => this.maybeRead(p)));
  }

  private onConnState(s: ConnectionState, d?: string): void {
    this.connBadge.dataset.state = s;
    this.connBadge.textContent = s === 'open' ? 'Connected' : s === 'lost' ? 'Reconnecting…' : s === 'connecting' ? 'Connecting…' : 'Disconnected';
    if (s === 'open') hideBanner('lost');
    else if (s === 'lost') showBanner(d === 'offline' ? 'You are offline. Conversations continue when the connection is back.' : 'Connection lost. Reconnecting…', 'lost');
  }

  // ---- queues, agents ----

  private async loadQueues(): Promise<void> {
    try {
      this.queues = await api.json('/api/v1/queues', { auth: this.auth });
      await this.refreshQueues();
    } catch (e) {
      showBanner(e instanceof ApiError ? e.message : 'Queues cannot be loaded.', 'error');
    }
  }

  private refreshing = false;
  private refreshAgain = false;

  /** One refresh at a time; a request during one runs once after it, so no stale list wins. */
  private async refreshQueues(): Promise<void> {
    if (!this.queues.length) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      await this.drawQueues();
    } finally {
      this.refreshing = false;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refreshQueues();
      }
    }
  }

  private async drawQueues(): Promise<void> {
    try {
      const sections: HTMLElement[] = [];
      for (const q of this.queues) {
        const waiting = await api.json<any[]>(`/api/v1/queues/${encodeURIComponent(q.id)}/conversations`, { auth: this.auth });
        const list = el('ul', { class: 'list', 'aria-label': `Waiting in ${q.displayName}` });
        for (const w of waiting) {
          list.append(el('li', { 'data-conversation': w.conversationId },
            el('div', { class: 'info' },
              el('span', {}, `${w.position}. ${w.customerDisplayName ?? 'Customer'}`, w.guest ? el('span', { class: 'tag' }, 'guest') : null),
              w.subject ? el('span', { class: 'muted' }, w.subject) : null,
              el('span', { class: 'muted waiting', 'data-queued-at': w.queuedAt }, `waiting ${formatDuration(w.waitingSeconds)}`)),
            this.roles.includes('agent')
              ? el('button', { type: 'button', class: 'primary', onclick: () => this.conn.send({ type: 'conversation.accept', conversationId: w.conversationId }) }, 'Accept')
              : null));
        }
        if (!waiting.length) list.append(el('li', { class: 'muted' }, 'Nobody waiting'));
        const section = el('div', { 'data-queue': q.id }, el('h3', {}, `${q.displayName} (${waiting.length} waiting)`), list);
        if (this.supervisor) {
          const active = await api.json<any[]>(`/api/v1/queues/${encodeURIComponent(q.id)}/conversations?state=ASSIGNED`, { auth: this.auth });
          const al = el('ul', { class: 'list', 'aria-label': `In progress in ${q.displayName}` });
          for (const a of active) {
            al.append(el('li', { 'data-conversation': a.conversationId },
              el('div', { class: 'info' },
                el('span', {}, `${a.customerDisplayName ?? 'Customer'} with ${a.agent?.displayName ?? 'an agent'}`),
                a.subject ? el('span', { class: 'muted' }, a.subject) : null),
              el('button', { type: 'button', onclick: () => this.openConversation(a.conversationId) }, 'Open')));
          }
          if (!active.length) al.append(el('li', { class: 'muted' }, 'No conversation in progress'));
          section.append(el('h3', {}, 'In progress'), al);
        }
        sections.push(section);
      }
      const h = this.queueCard.querySelector('h2')!;
      // Keep keyboard focus where it was if the focused button is still there after the refresh.
      const focusedId = (document.activeElement as HTMLElement | null)?.closest('li')?.getAttribute('data-conversation');
      this.queueCard.replaceChildren(h, ...sections);
      if (focusedId) this.queueCard.querySelector<HTMLElement>(`li[data-conversation="${CSS.escape(focusedId)}"] button`)?.focus();
    } catch {
      // A failed refresh is retried on the next tick; the connection badge tells about outages.
    }
  }

  private tickWaiting(): void {
    this.queueCard.querySelectorAll<HTMLElement>('.waiting[data-queued-at]').forEach((s) => {
      const at = Date.parse(s.dataset.queuedAt!);
      if (!isNaN(at)) s.textContent = `waiting ${formatDuration((Date.now() - at) / 1000)}`;
    });
  }

  private async loadAgents(): Promise<void> {
    try {
      this.agents = await api.json('/api/v1/agents?includeOffline=true', { auth: this.auth });
      const me = this.agents.find((a) => a.userId === this.userId);
      if (me) {
        this.status = me.status;
        this.capacity = me.capacity;
        this.statusSelect.value = me.status;
        this.capacityInput.value = String(me.capacity);
      }
    } catch {
      this.agents = [];
    }
  }

  private applyStatus(): void {
    const capacity = Math.min(50, Math.max(1, Number(this.capacityInput.value) || 3));
    this.capacityInput.value = String(capacity);
    this.status = this.statusSelect.value;
    this.capacity = capacity;
    this.conn.send({ type: 'agent.status', status: this.status, capacity });
  }

  // ---- frames ----

  private onFrame(f: Frame): void {
    const p = f.conversationId ? this.panes.get(f.conversationId) : undefined;
    switch (f.type) {
      case 'session.welcome':
        void this.afterWelcome();
        return;
      case 'conversation.assigned':
        if (f.agent?.userId === this.userId) {
          const pane = this.openPane(f.conversationId, f.queue);
          pane.model.state = 'assigned';
          pane.model.agent = f.agent;
          pane.handedOff = false;
          void this.refreshQueues();
        } else if (p) {
          if (p.model.state !== 'assigned' || p.model.agent?.userId !== f.agent?.userId) this.systemLine(p, `${f.agent?.displayName ?? 'An agent'} took the conversation.`);
          p.model.state = 'assigned';
          p.model.agent = f.agent;
        } else {
          void this.refreshQueues();
        }
        break;
      case 'conversation.transferred':
        if (f.agent?.userId === this.userId) {
          const pane = this.openPane(f.conversationId, f.queue);
          pane.model.state = 'assigned';
          pane.model.agent = f.agent;
          pane.handedOff = false;
        } else if (p) {
          p.model.state = f.agent ? 'assigned' : 'queued';
          p.model.agent = f.agent;
          // An agent who hands a conversation on is no longer in it (a supervisor still is).
          if (!this.supervisor) p.handedOff = true;
          this.systemLine(p, f.agent ? `Transferred to ${f.agent.displayName ?? 'another agent'}.` : `Transferred to the ${f.queue} queue.`);
        }
        void this.refreshQueues();
        break;
      case 'conversation.queued':
        if (p) p.model.state = 'queued';
        break;
      case 'conversation.closed':
        if (p) {
          if (p.model.state !== 'closed') this.systemLine(p, 'The conversation has ended.');
          p.model.state = 'closed';
        }
        void this.refreshQueues();
        break;
      case 'message.ack':
        this.panes.forEach((x) => x.model.ack(f.clientMsgId, f.messageId) && this.renderPane(x));
        return;
      case 'message.rejected':
        this.panes.forEach((x) => x.model.reject(f.clientMsgId, plainReason(f.code, f.reason)) && this.renderPane(x));
        return;
      case 'message':
        if (!p) return;
        if (p.model.accept(f) && !(f.sender?.userId === this.userId)) {
          p.model.typingUntil = 0;
          if (!this.isActive(p)) p.model.unread++;
          else this.maybeRead(p);
        }
        break;
      case 'typing':
        if (!p || f.userId === this.userId) return;
        p.model.typingUntil = Date.now() + 5_000;
        if (p.typingTimer) clearTimeout(p.typingTimer);
        p.typingTimer = window.setTimeout(() => this.renderPane(p), 5_100);
        break;
      case 'read':
        if (!p || f.userId === this.userId) return;
        p.model.markOthersRead(Number(f.seq) || 0);
        break;
      case 'error': {
        const pane = [...this.panes.values()].find((x) => f.ref && x.model.pending.has(f.ref));
        if (!pane) {
          showBanner(plainReason(f.code, f.message), 'error');
          return;
        }
        const m = pane.model.pending.get(f.ref)!;
        const resend = () => {
          if (pane.model.pending.has(f.ref) && m.delivery === 'sending') {
            this.conn.send({ type: 'message.send', clientMsgId: f.ref, conversationId: pane.model.id, text: m.text });
          }
        };
        if (!(f.code === 'internal' && retryLater(m, resend))) pane.model.reject(f.ref, plainReason(f.code, f.message));
        this.renderPane(pane);
        return;
      }
      default:
        return;
    }
    if (p) this.renderPane(p);
    else if (f.conversationId && this.panes.has(f.conversationId)) this.renderPane(this.panes.get(f.conversationId)!);
  }

  /** After every (re)connect: our status and capacity, our conversations, and their missed messages. */
  private async afterWelcome(): Promise<void> {
    await this.loadAgents();
    if (this.roles.includes('agent') && this.status !== 'offline') this.conn.send({ type: 'agent.status', status: this.status, capacity: this.capacity });
    for (const p of this.panes.values()) {
      this.conn.send({ type: 'conversation.subscribe', conversationId: p.model.id, afterSeq: p.model.contiguousSeq });
      for (const m of p.model.unsequenced()) this.conn.send({ type: 'message.send', clientMsgId: m.clientMsgId, conversationId: p.model.id, text: m.text });
    }
    try {
      const mine = await api.json<Summary[]>('/api/v1/agents/me/conversations', { auth: this.auth });
      for (const s of mine) if (!this.panes.has(s.conversationId)) this.openPane(s.conversationId, s.queue, s);
    } catch {
      // Restoring tabs is a convenience; new assignments still arrive as frames.
    }
  }

  private openConversation(id: string): void {
    this.openPane(id, '').root.focus();
  }

  // ---- panes ----

  private openPane(id: string, queue: string, summary?: Summary): Pane {
    const existing = this.panes.get(id);
    if (existing) return existing;
    const model = new ConversationModel(id, () => this.userId);
    model.queue = queue;
    const title = el('h2', {}, 'Conversation');
    const badge = el('span', { class: 'badge', 'data-count': '0', 'aria-label': 'unread messages' }, '0');
    const stateLine = el('span', { class: 'muted' });
    const log = el('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages', tabindex: '0' });
    const typing = el('div', { class: 'typing', 'aria-live': 'polite' });
    const composer = el('textarea', { rows: 2, maxLength: this.cfg.maxTextLength, placeholder: 'Reply', 'aria-label': 'Reply' });
    const send = el('button', { type: 'button', class: 'primary' }, 'Send');
    const drawer = el('div', { class: 'drawer', hidden: true });
    const root = el('section', { class: 'pane', 'data-conversation': id, tabindex: '-1', 'aria-label': 'Conversation' },
      el('header', {}, el('div', {}, title, ' ', badge), stateLine),
      log, typing,
      el('div', { class: 'composer' }, composer, send),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'transfer', onclick: () => this.transferDialog(pane) }, 'Transfer'),
        el('button', { type: 'button', class: 'close', onclick: () => this.closeDialog(pane) }, 'Close'),
        el('button', { type: 'button', class: 'report', onclick: () => this.reportDialog(pane) }, 'Report user'),
        el('button', { type: 'button', class: 'earlier', onclick: () => void this.earlier(pane) }, 'Earlier conversations')),
      drawer);
    const tab = el('li', {},
      el('button', { type: 'button', class: 'tab', onclick: () => { root.focus(); composer.focus(); } }, el('span', { class: 'tab-title' }, 'Conversation'), ' ', badge.cloneNode(true)));
    const pane: Pane = { model, root, log, typing, composer, send, badge, title, stateLine, drawer, tab, lastTypingSent: 0 };
    composer.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.sendMessage(pane);
      }
    });
    composer.addEventListener('input', () => {
      if (Date.now() - pane.lastTypingSent > 3_000 && model.state !== 'closed') {
        pane.lastTypingSent = Date.now();
        this.conn.send({ type: 'typing', conversationId: id });
      }
    });
    send.addEventListener('click', () => this.sendMessage(pane));
    root.addEventListener('focusin', () => this.maybeRead(pane));
    this.panes.set(id, pane);
    this.panesEl.querySelector('.empty')?.remove();
    this.panesEl.append(root);
    this.tabs.append(tab);
    if (summary) this.applySummary(pane, summary);
    else void this.loadSummary(pane);
    this.conn.send({ type: 'conversation.subscribe', conversationId: id, afterSeq: 0 });
    this.renderPane(pane);
    return pane;
  }

  private async loadSummary(p: Pane): Promise<void> {
    try {
      this.applySummary(p, await api.json<Summary>(`/api/v1/conversations/${encodeURIComponent(p.model.id)}`, { auth: this.auth }));
    } catch {
      // The pane works without the summary; the title stays generic.
    }
  }

  private applySummary(p: Pane, s: Summary): void {
    p.model.queue = s.queue;
    p.model.customer = s.customer;
    if (s.agent) p.model.agent = s.agent;
    if (s.state === 'CLOSED') p.model.state = 'closed';
    else if (s.state === 'ASSIGNED' && p.model.state === 'starting') p.model.state = 'assigned';
    this.renderPane(p);
  }

  private isActive(p: Pane): boolean {
    return document.visibilityState === 'visible' && p.root.contains(document.activeElement);
  }

  private maybeRead(p: Pane): void {
    if (!this.isActive(p)) return;
    p.model.unread = 0;
    let last = 0;
    for (const m of p.model.bySeq.values()) if (!m.mine) last = Math.max(last, m.seq ?? 0);
    if (last > p.model.myReadSeq && p.model.state !== 'closed' && this.conn.send({ type: 'read', conversationId: p.model.id, seq: last })) p.model.myReadSeq = last;
    this.renderBadge(p);
  }

  private renderBadge(p: Pane): void {
    const n = String(p.model.unread);
    for (const b of [p.badge, p.tab.querySelector('.badge') as HTMLElement]) {
      b.dataset.count = n;
      b.textContent = n;
      b.setAttribute('aria-label', `${n} unread`);
    }
  }

  private systemLine(p: Pane, text: string): void {
    p.model.note(text);
  }

  private renderPane(p: Pane): void {
    const m = p.model;
    const who = m.customer?.displayName ?? 'Customer';
    const label = `${who}${m.customer?.guest ? ' (guest)' : ''}${m.queue ? ` · ${m.queue}` : ''}`;
    p.title.textContent = label;
    setText(p.tab.querySelector('.tab-title') as HTMLElement, label);
    p.root.setAttribute('aria-label', `Conversation with ${who}`);
    p.stateLine.textContent = m.state === 'closed' ? 'Closed' : p.handedOff ? 'Handed on' : m.state === 'assigned' ? (m.agent?.userId === this.userId ? 'With you' : `With ${m.agent?.displayName ?? 'an agent'}`) : m.state === 'queued' ? 'Waiting in queue' : '';
    p.root.classList.toggle('closed', m.state === 'closed');
    const closed = m.state === 'closed' || !!p.handedOff;
    p.composer.disabled = closed;
    p.send.disabled = closed;
    p.root.querySelectorAll<HTMLButtonElement>('.transfer,.close').forEach((b) => (b.disabled = closed));
    if (closed && !p.root.querySelector('.dismiss')) {
      p.root.querySelector('.actions')!.append(el('button', { type: 'button', class: 'dismiss', onclick: () => this.dismiss(p) }, 'Dismiss'));
    }
    setText(p.typing, m.typingUntil > Date.now() ? `${who} is typing…` : '');
    const atBottom = p.log.scrollTop + p.log.clientHeight >= p.log.scrollHeight - 30;
    reconcile(p.log, m.timeline().map((t) => ({
      key: t.key,
      render: () => (t.kind === 'note' ? el('li', { class: 'system' }, t.text) : this.messageItem(t.message)),
    })));
    if (atBottom) p.log.scrollTop = p.log.scrollHeight;
    this.renderBadge(p);
  }

  private messageItem(m: ChatMessage): HTMLElement {
    const who = m.mine ? 'You' : m.sender.displayName ?? m.sender.role;
    return el('li', { class: `msg ${m.mine ? 'mine' : 'theirs'} ${m.delivery ?? ''}`, 'data-seq': m.seq ? String(m.seq) : undefined },
      el('div', { class: 'meta' }, el('span', { class: 'who' }, who), el('span', { class: 'muted' }, m.sender.role !== 'me' ? m.sender.role : ''), el('time', {}, formatTime(m.sentAt))),
      el('div', { class: 'text' }, renderText(m.text, m.redactions)),
      m.mine ? el('div', { class: 'delivery', 'data-state': m.delivery }, deliveryWords(m)) : null);
  }

  private sendMessage(p: Pane): void {
    const text = p.composer.value.trim();
    if (!text || p.model.state === 'closed') return;
    const clientMsgId = uuid();
    p.model.addOutgoing(clientMsgId, text);
    p.composer.value = '';
    this.conn.send({ type: 'message.send', clientMsgId, conversationId: p.model.id, text });
    this.renderPane(p);
  }

  private dismiss(p: Pane): void {
    p.root.remove();
    p.tab.remove();
    this.panes.delete(p.model.id);
    if (!this.panes.size) this.panesEl.append(el('p', { class: 'empty' }, 'No open conversations.'));
    this.panesEl.focus();
  }

  private openDrawer(p: Pane, ...content: (Node | string)[]): void {
    p.drawer.replaceChildren(...content, el('button', { type: 'button', onclick: () => { p.drawer.hidden = true; p.composer.focus(); } }, 'Cancel'));
    p.drawer.hidden = false;
    p.drawer.querySelector<HTMLElement>('select,input,button')?.focus();
  }

  private async transferDialog(p: Pane): Promise<void> {
    await this.loadAgents();
    const select = el('select', { 'aria-label': 'Transfer to' });
    const qg = el('optgroup', { label: 'Queues' });
    for (const q of this.queues) qg.append(el('option', { value: `queue:${q.id}` }, q.displayName));
    const ag = el('optgroup', { label: 'Agents' });
    for (const a of this.agents) {
      if (a.userId !== this.userId) ag.append(el('option', { value: `agent:${a.userId}` }, `${a.displayName} (${a.status}, ${a.active}/${a.capacity})`));
    }
    select.append(qg, ag);
    this.openDrawer(p, el('h3', {}, 'Transfer the conversation'), select, ' ',
      el('button', { type: 'button', class: 'primary', onclick: () => {
        const [kind, target] = select.value.split(/:(.*)/s);
        this.conn.send({ type: 'conversation.transfer', conversationId: p.model.id, ...(kind === 'queue' ? { toQueue: target } : { toAgent: target }) });
        p.drawer.hidden = true;
      } }, 'Transfer'), ' ');
  }

  private closeDialog(p: Pane): void {
    this.openDrawer(p, el('h3', {}, 'Close this conversation? The customer is told it has ended.'),
      el('button', { type: 'button', class: 'danger', onclick: () => {
        this.conn.send({ type: 'conversation.close', conversationId: p.model.id });
        p.drawer.hidden = true;
      } }, 'Close conversation'), ' ');
  }

  private reportDialog(p: Pane): void {
    const customer = p.model.customer?.userId ?? [...p.model.bySeq.values()].find((m) => !m.mine && m.sender.role !== 'agent')?.sender.userId;
    if (!customer) {
      this.openDrawer(p, el('p', {}, 'The customer is not known yet.'));
      return;
    }
    const reason = el('select', { 'aria-label': 'Reason' },
      ...['abuse', 'spam', 'phishing', 'fraud', 'other'].map((r) => el('option', { value: r }, r)));
    const theirs = [...p.model.bySeq.values()].filter((m) => m.sender.userId === customer).slice(-5);
    const boxes = theirs.map((m) => el('label', { class: 'muted' }, el('input', { type: 'checkbox', value: m.messageId, checked: true }), ` #${m.seq}`));
    this.openDrawer(p, el('h3', {}, 'Report this user to the moderators'), reason, ' ',
      boxes.length ? el('span', { class: 'muted' }, 'Evidence: ', ...boxes) : '', ' ',
      el('button', { type: 'button', class: 'danger', onclick: () => {
        const messageIds = boxes.map((b) => b.querySelector('input')!).filter((i) => i.checked).map((i) => i.value);
        this.conn.send({ type: 'user.report', userId: customer, conversationId: p.model.id, reason: reason.value, messageIds });
        p.drawer.replaceChildren(el('p', { role: 'status' }, 'Report sent to the moderators.'));
      } }, 'Send report'), ' ');
  }

  private async earlier(p: Pane): Promise<void> {
    const customer = p.model.customer?.userId;
    if (!customer || p.model.customer?.guest) {
      this.openDrawer(p, el('p', {}, p.model.customer?.guest ? 'Guests have no earlier conversations on record.' : 'The customer is not known yet.'));
      return;
    }
    let list: Summary[];
    try {
      list = await api.json<Summary[]>(`/api/v1/customers/${encodeURIComponent(customer)}/conversations`, { auth: this.auth });
    } catch (e) {
      this.openDrawer(p, el('p', {}, e instanceof ApiError ? e.message : 'Earlier conversations cannot be loaded.'));
      return;
    }
    const others = list.filter((s) => s.conversationId !== p.model.id);
    const ul = el('ul', { class: 'list' });
    for (const s of others) {
      ul.append(el('li', {},
        el('div', { class: 'info' }, el('span', {}, `${s.queue} · ${s.createdAt ? new Date(s.createdAt).toLocaleString() : ''}`),
          el('span', { class: 'muted' }, `${s.subject ?? ''} ${s.state.toLowerCase()}, ${s.lastSeq ?? 0} messages`)),
        el('button', { type: 'button', onclick: () => void this.history(p, s) }, 'Read')));
    }
    if (!others.length) ul.append(el('li', { class: 'muted' }, 'No earlier conversations.'));
    this.openDrawer(p, el('h3', {}, 'Earlier conversations of this customer'), ul);
  }

  private async history(p: Pane, s: Summary): Promise<void> {
    try {
      const out: any[] = [];
      let after = 0;
      for (let page = 0; page < 20; page++) {
        const r = await api.json<any>(`/api/v1/conversations/${encodeURIComponent(s.conversationId)}/messages?afterSeq=${after}&limit=200`, { auth: this.auth });
        out.push(...r.messages);
        if (!r.hasMore) break;
        after = r.nextAfterSeq;
      }
      const ol = el('ol', { class: 'log', 'aria-label': 'Earlier conversation' });
      for (const m of out) {
        ol.append(el('li', { class: 'msg' }, el('div', { class: 'meta' }, el('span', {}, m.sender?.displayName ?? m.sender?.role), el('time', {}, formatTime(m.sentAt))),
          el('div', { class: 'text' }, renderText(String(m.text ?? ''), m.redactions ?? []))));
      }
      if (!out.length) ol.append(el('li', { class: 'muted' }, 'No messages kept.'));
      this.openDrawer(p, el('h3', {}, `Conversation of ${s.createdAt ? new Date(s.createdAt).toLocaleDateString() : ''} (${s.queue})`), ol);
    } catch (e) {
      this.openDrawer(p, el('p', {}, e instanceof ApiError ? e.message : 'The conversation cannot be read.'));
    }
  }
}

const MODERATION_PAGE = '/console/moderation.html';
const COMPLIANCE_PAGE = '/console/compliance.html';

async function main(): Promise<void> {
  // The same script serves the console, the moderator page (console/moderation.html) and the
  // compliance page (console/compliance.html).
  const moderationPage = document.body.dataset.page === 'moderation';
  const compliancePage = document.body.dataset.page === 'compliance';
  const pageName = moderationPage ? 'SecureChat moderation' : compliancePage ? 'SecureChat compliance' : 'SecureChat agent console';
  if (!window.isSecureContext || location.protocol !== 'https:') {
    // Its own line, so that no later message hides it.
    banner.before(el('div', { class: 'banner insecure', role: 'alert' }, 'This connection is not secure. Do not use the console on this page.'));
  }
  let cfg: ClientConfig;
  try {
    cfg = await api.config();
  } catch {
    app.replaceChildren(el('p', { class: 'loading' }, 'The console cannot reach the service. Please try again later.'));
    return;
  }
  const oidc = new OidcClient(cfg.oidc.issuer, cfg.oidc.clientId);
  try {
    await oidc.completeSignIn();
  } catch (e: any) {
    showBanner(e?.message ?? 'Sign-in failed.', 'error');
  }
  const here = `${location.origin}${location.pathname}`;
  if (!oidc.accessToken) {
    const button = el('button', { type: 'button', class: 'primary', id: 'signin', onclick: () => void oidc.signIn(here) }, 'Sign in');
    app.replaceChildren(el('section', { class: 'signin' }, el('h1', {}, pageName),
      el('p', {}, 'Sign in with your staff account. You will be asked for the one-time code from your authenticator app.'), button));
    button.focus();
    return;
  }
  const roles = oidc.claims?.realm_access?.roles ?? [];
  const agentish = roles.includes('agent') || roles.includes('supervisor');
  const moderator = roles.includes('moderator') || roles.includes('admin');
  const compliance = roles.includes('compliance');
  const refuse = (title: string, words: string) => app.replaceChildren(el('section', { class: 'signin' }, el('h1', {}, title),
    el('p', {}, words),
    el('button', { type: 'button', onclick: () => void oidc.signOut(here) }, 'Sign out')));
  if (compliancePage || (compliance && !agentish && !moderator)) {
    if (!compliance) {
      refuse('You are not a compliance officer', 'This page is for compliance officers. Your account has no such role, so it cannot read the audit trail.');
      return;
    }
    // A compliance officer who is no agent or moderator lands on the compliance view, under its own address.
    if (!compliancePage) history.replaceState(null, '', COMPLIANCE_PAGE);
    new CompliancePage(oidc, { agentConsole: agentish, moderation: moderator }).start(app);
    return;
  }
  if (moderationPage || (moderator && !agentish)) {
    if (!moderator) {
      refuse('You are not a moderator', 'This page is for moderators and administrators. Your account has no such role, so it cannot see reports or bans.');
      return;
    }
    // A moderator who is not an agent lands on the moderation view, under its own address.
    if (!moderationPage) history.replaceState(null, '', MODERATION_PAGE);
    new ModerationPage(oidc, { agentConsole: agentish, compliance }).start(app);
    return;
  }
  if (!agentish) {
    refuse('Not for this account', 'The console is for agents and supervisors. Your account has no such role.');
    return;
  }
  new Console(cfg, oidc, moderator, compliance).start();
}

void main();
