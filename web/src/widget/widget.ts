// SecureChat customer widget: one <script src="https://GATEWAY/widget/widget.js" data-queue="support"
// data-title="Acme support" defer></script> on any page of an allowed origin. It draws a chat
// button and panel inside a shadow root (the host page's styles and scripts stay out), asks for
// consent to the privacy notice before anything is sent, and then chats as a guest or as a
// signed-in customer (OIDC code flow with PKCE through Keycloak).

import { Api, ApiError, type ClientConfig } from '../lib/api';
import { ChatConnection, type ConnectionState, type Frame } from '../lib/connection';
import { ConversationModel, deliveryWords, retryLater, type ChatMessage } from '../lib/conversation';
import { OidcClient } from '../lib/oidc';
import { el, formatTime, plainReason, reconcile, renderText, setText, uuid } from '../lib/render';

interface Options {
  gateway: string;
  queue: string;
  title: string;
  open: boolean;
}

const SIGNIN_FLAG = 'securechat.widget.signin';
/** What a banned customer reads (session.terminated reason banned, then close code 4403). */
const BANNED_WORDS = 'You have been blocked from chatting by our moderators, so this chat has ended. If you think this is a mistake, please contact us another way.';

function readOptions(): Options {
  const script = document.currentScript as HTMLScriptElement | null;
  const src = script?.src ? new URL(script.src) : new URL(location.href);
  const d = script?.dataset ?? {};
  return {
    gateway: d.gateway ?? src.origin,
    queue: d.queue ?? 'support',
    title: d.title ?? 'Chat with us',
    open: d.open === 'true',
  };
}

class Widget {
  private readonly api: Api;
  private cfg!: ClientConfig;
  private oidc?: OidcClient;
  private guest?: { token: string; userId: string; displayName: string; ticket?: string };
  private userId = '';
  private displayName = '';
  private conn?: ChatConnection;
  private conv?: ConversationModel;
  private clientRef = '';
  private startsSent = 0;
  private subject = '';
  private lastTypingSent = 0;
  private typingTimer?: number;

  // DOM
  private readonly root: ShadowRoot;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly body: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly status: HTMLElement;
  private log?: HTMLElement;
  private typingLine?: HTMLElement;
  private composer?: HTMLTextAreaElement;
  private sendButton?: HTMLButtonElement;
  private footer?: HTMLElement;

  constructor(private readonly o: Options) {
    this.api = new Api(o.gateway);
    const host = el('div', { id: 'securechat-widget' });
    document.body.append(host);
    this.root = host.attachShadow({ mode: 'open' });
    this.root.append(el('link', { rel: 'stylesheet', href: `${o.gateway}/widget/widget.css` }));
    this.launcher = el('button', {
      class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'sc-panel',
      onclick: () => this.toggle(),
    }, o.title);
    this.banner = el('div', { class: 'banner', role: 'alert', hidden: true });
    this.status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = el('div', { class: 'body' });
    this.panel = el('section', { class: 'panel', id: 'sc-panel', hidden: true, 'aria-label': o.title },
      el('header', {},
        el('h2', {}, o.title),
        el('button', { class: 'icon', type: 'button', 'aria-label': 'Minimise chat', onclick: () => this.toggle(false) }, '–')),
      this.banner, this.status, this.body);
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.toggle(false);
    });
    this.root.append(this.launcher, this.panel);
    if (!window.isSecureContext || location.protocol !== 'https:') {
      // Its own line, so that no later message hides it.
      this.banner.before(el('div', { class: 'banner insecure', role: 'alert' },
        'This page is not secure. Do not share personal or payment details here.'));
    }
    document.addEventListener('visibilitychange', () => this.sendRead());
  }

  async init(): Promise<void> {
    try {
      this.cfg = await this.api.config();
    } catch {
      this.showBanner('Chat is unavailable right now. Please try again later.', 'error');
      this.launcher.disabled = true;
      return;
    }
    this.oidc = new OidcClient(this.cfg.oidc.issuer, this.cfg.oidc.clientId);
    this.oidc.onTokens = (t) => {
      this.conn?.send({ type: 'auth.refresh', token: t.accessToken });
    };
    this.oidc.onExpired = () => this.showBanner('Your sign-in has expired. Please sign in again.', 'error');
    if (sessionStorage.getItem(SIGNIN_FLAG)) {
      sessionStorage.removeItem(SIGNIN_FLAG);
      try {
        if (await this.oidc.completeSignIn()) {
          const c = this.oidc.claims!;
          this.userId = c.sub;
          this.displayName = c.name ?? c.preferred_username ?? 'Customer';
        }
      } catch (e: any) {
        this.showBanner(e?.message ?? 'Sign-in failed.', 'error');
      }
      this.toggle(true);
    } else if (this.o.open) {
      this.toggle(true);
    }
    this.renderWelcome();
  }

  private toggle(open = this.panel.hidden): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      (this.composer ?? this.panel.querySelector<HTMLElement>('input,button:not(.icon)'))?.focus();
      this.sendRead();
    } else {
      this.launcher.focus();
    }
  }

  private showBanner(text: string, kind: 'lost' | 'error' | 'ok'): void {
    this.banner.textContent = text;
    this.banner.className = `banner ${kind}`;
    this.banner.hidden = false;
  }

  private hideBanner(kind: string): void {
    if (this.banner.classList.contains(kind)) this.banner.hidden = true;
  }

  // ---- welcome: privacy notice, consent, guest or sign-in ----

  private renderWelcome(): void {
    const signedIn = !!this.oidc?.accessToken;
    const error = el('p', { class: 'form-error', role: 'alert', id: 'sc-consent-error' });
    const consent = el('input', { type: 'checkbox', id: 'sc-consent', 'aria-describedby': 'sc-notice' });
    const name = el('input', { type: 'text', id: 'sc-name', maxLength: 60, autocomplete: 'name', required: !signedIn });
    const subject = el('input', { type: 'text', id: 'sc-subject', maxLength: 200 });
    const form = el('form', { class: 'welcome', novalidate: true },
      el('p', { id: 'sc-notice', class: 'notice' },
        'Before we chat: we record this conversation to help you and to keep it safe. It is encrypted, kept only as long as our policy says, and never shared for advertising. ',
        el('a', { href: `${this.o.gateway}${this.cfg.privacyPolicy.url}`, target: '_blank', rel: 'noopener noreferrer' }, 'Read the privacy notice'),
        ` (version ${this.cfg.privacyPolicy.version}).`),
      signedIn
        ? el('p', { class: 'signed-in' }, `Signed in as ${this.displayName}.`)
        : el('div', { class: 'field' }, el('label', { for: 'sc-name' }, 'Your name'), name),
      el('div', { class: 'field' }, el('label', { for: 'sc-subject' }, 'What is it about? (optional)'), subject),
      signedIn ? null : el('div', { class: 'check' }, consent, el('label', { for: 'sc-consent' }, 'I have read and accept the privacy notice')),
      error,
      el('div', { class: 'actions' },
        el('button', { type: 'submit', class: 'primary', id: 'sc-start' }, 'Start chat'),
        signedIn ? null : el('button', { type: 'button', class: 'link', id: 'sc-signin', onclick: () => this.signIn() }, 'Sign in instead')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!signedIn && !consent.checked) {
        error.textContent = 'Please accept the privacy notice to start a chat. Nothing has been sent.';
        consent.focus();
        return;
      }
      if (!signedIn && !name.value.trim()) {
        error.textContent = 'Please tell us your name.';
        name.focus();
        return;
      }
      error.textContent = '';
      this.subject = subject.value.trim();
      void this.start(signedIn ? this.displayName : name.value.trim(), form.querySelector('button[type=submit]') as HTMLButtonElement, error);
    });
    this.body.replaceChildren(form);
    this.status.textContent = '';
    // Opened before the form was there (a slow start): put the focus into it now.
    if (!this.panel.hidden) form.querySelector<HTMLElement>('input')?.focus();
  }

  private async signIn(): Promise<void> {
    sessionStorage.setItem(SIGNIN_FLAG, '1');
    try {
      await this.oidc!.signIn();
    } catch {
      sessionStorage.removeItem(SIGNIN_FLAG);
      this.showBanner('The sign-in service cannot be reached. You can chat as a guest.', 'error');
    }
  }

  private async start(displayName: string, button: HTMLButtonElement, error: HTMLElement): Promise<void> {
    button.disabled = true;
    button.textContent = 'Starting…';
    try {
      if (!this.oidc?.accessToken) {
        const res = await this.api.json<any>('/api/v1/guest-sessions', {
          method: 'POST',
          body: { consent: { policyVersion: this.cfg.privacyPolicy.version, accepted: true }, displayName },
        });
        this.guest = { token: res.guestToken, userId: res.userId, displayName: res.displayName, ticket: res.ticket };
        this.userId = res.userId;
        this.displayName = res.displayName;
      }
    } catch (e: any) {
      error.textContent = e instanceof ApiError ? e.message : 'Chat is unavailable right now.';
      button.disabled = false;
      button.textContent = 'Start chat';
      return;
    }
    this.clientRef = uuid();
    this.conv = new ConversationModel('', () => this.userId);
    this.conv.queue = this.o.queue;
    this.renderChat();
    this.connect();
  }

  private connect(): void {
    const wsUrl = this.o.gateway.replace(/^http/, 'ws') + this.cfg.webSocketPath;
    this.conn = new ChatConnection({
      url: wsUrl,
      subprotocol: this.cfg.subprotocol,
      heartbeatSec: this.cfg.heartbeatSec,
      ticket: () => this.ticket(),
      onFrame: (f) => this.onFrame(f),
      onState: (s, d) => this.onConnState(s, d),
      onFatal: (code, reason) => {
        this.showBanner(code === 4403 ? BANNED_WORDS : reason, 'error');
        if (code === 4403) setText(this.status, 'This chat has ended.');
        this.setComposerEnabled(false);
      },
    });
    this.conn.start();
  }

  private async ticket(): Promise<string> {
    if (this.guest) {
      if (this.guest.ticket) {
        const t = this.guest.ticket;
        this.guest.ticket = undefined;
        return t;
      }
      const r = await this.api.json<any>('/api/v1/guest-sessions/tickets', { method: 'POST', auth: { guestToken: this.guest.token } });
      return r.ticket;
    }
    const r = await this.api.json<any>('/api/v1/tickets', { method: 'POST', auth: { bearer: this.oidc!.accessToken } });
    return r.ticket;
  }

  private onConnState(s: ConnectionState, detail?: string): void {
    this.panel.dataset.connection = s;
    if (s === 'open') {
      this.hideBanner('lost');
    } else if (s === 'lost') {
      this.showBanner(detail === 'offline' ? 'You are offline. Your messages will be sent when the connection is back.' : 'Connection lost. Reconnecting…', 'lost');
    }
    this.updateComposer();
  }

  // ---- frames ----

  private onFrame(f: Frame): void {
    const c = this.conv!;
    switch (f.type) {
      case 'session.welcome':
        this.userId = f.userId ?? this.userId;
        if (!c.id) {
          // Repeated after a drop with the same clientRef: the server answers with the same conversation.
          this.startsSent++;
          this.conn!.send({ type: 'conversation.start', clientRef: this.clientRef, queue: this.o.queue, ...(this.subject ? { subject: this.subject } : {}) });
        } else {
          this.conn!.send({ type: 'conversation.subscribe', conversationId: c.id, afterSeq: c.contiguousSeq });
          for (const m of c.unsequenced()) this.conn!.send({ type: 'message.send', clientMsgId: m.clientMsgId, conversationId: c.id, text: m.text });
        }
        break;
      case 'conversation.started':
        if (!c.id && f.clientRef === this.clientRef) {
          c.id = f.conversationId;
          // A repeated start is answered with "started" only: ask for the state and anything missed.
          if (this.startsSent > 1) this.conn!.send({ type: 'conversation.subscribe', conversationId: c.id, afterSeq: 0 });
        }
        break;
      case 'conversation.queued':
        if (f.conversationId !== c.id) return;
        c.state = 'queued';
        c.position = f.position;
        break;
      case 'conversation.assigned':
        if (f.conversationId !== c.id) return;
        // A resume repeats the current state: say it only when it changed.
        if (c.state !== 'assigned' || c.agent?.userId !== f.agent?.userId) this.systemLine(`${f.agent?.displayName ?? 'An agent'} joined the chat.`);
        c.state = 'assigned';
        c.agent = f.agent;
        break;
      case 'conversation.transferred':
        if (f.conversationId !== c.id) return;
        c.state = f.agent ? 'assigned' : 'queued';
        c.agent = f.agent;
        this.systemLine(f.agent ? `You are now talking with ${f.agent.displayName ?? 'another agent'}.` : 'You have been transferred; please wait for the next agent.');
        break;
      case 'conversation.closed':
        if (f.conversationId !== c.id) return;
        if (c.state !== 'closed') this.systemLine('The chat has ended.');
        c.state = 'closed';
        break;
      case 'message.ack':
        c.ack(f.clientMsgId, f.messageId);
        break;
      case 'message.rejected':
        c.reject(f.clientMsgId, plainReason(f.code, f.reason));
        break;
      case 'message':
        if (f.conversationId !== c.id) return;
        if (c.accept(f) && f.sender?.userId !== this.userId) c.typingUntil = 0;
        this.sendRead();
        break;
      case 'typing':
        if (f.conversationId !== c.id || f.userId === this.userId) return;
        c.typingUntil = Date.now() + 5_000;
        c.typingName = c.agent?.displayName ?? 'The agent';
        if (this.typingTimer) clearTimeout(this.typingTimer);
        this.typingTimer = window.setTimeout(() => this.renderStatus(), 5_100);
        break;
      case 'read':
        if (f.conversationId !== c.id || f.userId === this.userId) return;
        c.markOthersRead(Number(f.seq) || 0);
        break;
      case 'error':
        this.onError(f);
        break;
      case 'session.terminated':
        this.showBanner(f.reason === 'banned' ? BANNED_WORDS : plainReason(f.reason ?? 'internal'), 'error');
        break;
      default:
        return;
    }
    this.renderMessages();
    this.renderStatus();
  }

  private onError(f: Frame): void {
    const c = this.conv!;
    const pending = f.ref ? c.pending.get(f.ref) : undefined;
    if (pending) {
      if (f.code === 'internal' && retryLater(pending, () => this.resend(pending))) return;
      c.reject(f.ref, plainReason(f.code, f.message));
      return;
    }
    if (f.code === 'conversation_closed') c.state = 'closed';
    this.showBanner(plainReason(f.code, f.message), 'error');
  }

  // ---- chat view ----

  private renderChat(): void {
    this.log = el('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages', tabindex: '0' });
    this.typingLine = el('div', { class: 'typing', 'aria-live': 'polite' });
    this.composer = el('textarea', {
      id: 'sc-text', rows: 2, maxLength: this.cfg.maxTextLength, placeholder: 'Type your message',
      'aria-label': 'Your message',
    });
    this.composer.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.sendMessage();
      }
    });
    this.composer.addEventListener('input', () => this.typing());
    this.sendButton = el('button', { type: 'button', class: 'primary', id: 'sc-send', onclick: () => this.sendMessage() }, 'Send');
    this.footer = el('div', { class: 'chat-actions' },
      el('button', { type: 'button', class: 'link', id: 'sc-download', onclick: () => this.download() }, 'Download transcript'),
      el('button', { type: 'button', class: 'link danger', id: 'sc-end', onclick: () => this.confirmEnd() }, 'End chat'));
    this.body.replaceChildren(this.log, this.typingLine, el('div', { class: 'composer' }, this.composer, this.sendButton), this.footer);
    this.renderStatus();
    this.composer.focus();
  }

  private systemLine(text: string): void {
    this.conv?.note(text);
  }

  private renderMessages(): void {
    if (!this.log || !this.conv) return;
    const atBottom = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 30;
    reconcile(this.log, this.conv.timeline().map((t) => ({
      key: t.key,
      render: () => (t.kind === 'note' ? el('li', { class: 'system' }, t.text) : this.messageItem(t.message)),
    })));
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  private messageItem(m: ChatMessage): HTMLElement {
    const who = m.mine ? 'You' : m.sender.displayName ?? (m.sender.role === 'agent' ? 'Agent' : 'Customer');
    return el('li', { class: `msg ${m.mine ? 'mine' : 'theirs'} ${m.delivery ?? ''}`, 'data-seq': m.seq ? String(m.seq) : undefined },
      el('div', { class: 'meta' },
        el('span', { class: 'who' }, who),
        m.sender.verifiedAgent ? el('span', { class: 'verified', title: 'Verified agent' }, '✔ verified') : null,
        el('time', {}, formatTime(m.sentAt))),
      el('div', { class: 'text' }, renderText(m.text, m.redactions)),
      m.mine ? el('div', { class: 'delivery', 'data-state': m.delivery }, deliveryWords(m)) : null);
  }

  private renderStatus(): void {
    const c = this.conv;
    if (!c) return;
    let text = '';
    if (c.state === 'starting') text = 'Connecting you to our team…';
    else if (c.state === 'queued') text = c.position ? `You are number ${c.position} in the queue. An agent will be with you soon.` : 'Waiting for an agent…';
    else if (c.state === 'assigned') text = `You are chatting with ${c.agent?.displayName ?? 'an agent'}.`;
    else text = 'This chat has ended. You can download the transcript.';
    setText(this.status, text);
    if (this.typingLine) setText(this.typingLine, c.typingUntil > Date.now() ? `${c.typingName} is typing…` : '');
    this.updateComposer();
    if (c.state === 'closed' && this.footer && !this.footer.querySelector('#sc-new')) {
      this.footer.querySelector('#sc-end')?.remove();
      this.footer.append(el('button', { type: 'button', class: 'link', id: 'sc-new', onclick: () => this.newChat() }, 'Start a new chat'));
    }
  }

  private setComposerEnabled(on: boolean): void {
    if (this.composer) this.composer.disabled = !on;
    if (this.sendButton) this.sendButton.disabled = !on;
  }

  private updateComposer(): void {
    // Writing goes on while offline (messages wait and go out on reconnect), not after the close.
    this.setComposerEnabled(!!this.conv && this.conv.state !== 'closed' && !!this.conv.id || this.conv?.state === 'starting');
  }

  private sendMessage(): void {
    const c = this.conv;
    const text = this.composer?.value.trim() ?? '';
    if (!c || !text || c.state === 'closed') return;
    if (!c.id) {
      this.showBanner('Please wait a moment: the chat is still starting.', 'error');
      return;
    }
    const clientMsgId = uuid();
    c.addOutgoing(clientMsgId, text);
    this.composer!.value = '';
    this.conn?.send({ type: 'message.send', clientMsgId, conversationId: c.id, text });
    this.renderMessages();
  }

  private typing(): void {
    const c = this.conv;
    if (!c?.id || Date.now() - this.lastTypingSent < 3_000) return;
    this.lastTypingSent = Date.now();
    this.conn?.send({ type: 'typing', conversationId: c.id });
  }

  private sendRead(): void {
    const c = this.conv;
    if (!c?.id || this.panel.hidden || document.visibilityState !== 'visible') return;
    let last = 0;
    for (const m of c.bySeq.values()) if (!m.mine) last = Math.max(last, m.seq ?? 0);
    if (last > c.myReadSeq && this.conn?.send({ type: 'read', conversationId: c.id, seq: last })) c.myReadSeq = last;
  }

  private confirmEnd(): void {
    const c = this.conv;
    if (!c?.id || !this.footer) return;
    this.footer.querySelector('.confirm')?.remove();
    const yes = el('button', { type: 'button', class: 'danger', id: 'sc-end-confirm', onclick: () => {
      this.conn?.send({ type: 'conversation.close', conversationId: c.id });
      box.remove();
    } }, 'End chat');
    const box = el('div', { class: 'confirm', role: 'alertdialog', 'aria-label': 'End the chat?' },
      el('span', {}, 'End the chat?'), yes,
      el('button', { type: 'button', onclick: () => { box.remove(); this.composer?.focus(); } }, 'Keep chatting'));
    this.footer.append(box);
    yes.focus();
  }

  private download(): void {
    const c = this.conv;
    if (!c) return;
    const blob = new Blob([c.transcript(`${this.o.title}: transcript for ${this.displayName}`)], { type: 'text/plain;charset=utf-8' });
    const a = el('a', { href: URL.createObjectURL(blob), download: `chat-${c.id || 'transcript'}.txt` });
    this.root.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1_000);
  }

  private newChat(): void {
    this.conn?.stop();
    this.conn = undefined;
    this.conv = undefined;
    this.startsSent = 0;
    this.log = this.typingLine = this.composer = this.sendButton = this.footer = undefined;
    this.renderWelcome();
  }

  private resend(m: ChatMessage): void {
    const c = this.conv;
    if (c && c.pending.has(m.clientMsgId!) && m.delivery === 'sending') {
      this.conn?.send({ type: 'message.send', clientMsgId: m.clientMsgId, conversationId: c.id, text: m.text });
    }
  }
}

const options = readOptions();
const start = () => void new Widget(options).init();
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
