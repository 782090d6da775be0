// One WebSocket to the gateway (protocol chat.v1) that keeps itself alive: a fresh one-time
// ticket for every connect, a ping every heartbeat, a reconnect with back-off after any drop
// (network, server restart, silent half-open socket), and an immediate retry when the browser
// reports it is back online. What to resend after a reconnect is the caller's business
// (on the server's session.welcome): the protocol makes resends safe (clientMsgId, afterSeq).

export type ConnectionState = 'connecting' | 'open' | 'lost' | 'closed';

export interface Frame {
  type: string;
  [k: string]: any;
}

export interface ConnectionOptions {
  url: string; // wss://host/ws/v1/chat
  subprotocol: string;
  heartbeatSec: number;
  ticket: () => Promise<string>;
  onFrame: (f: Frame) => void;
  onState: (s: ConnectionState, detail?: string) => void;
  /** Close codes after which reconnecting is pointless; the string explains it in plain words. */
  onFatal: (code: number, reason: string) => void;
}

const FATAL: Record<number, string> = {
  4401: 'Your session has expired. Please sign in again.',
  4403: 'This account has been blocked from chatting.',
  4429: 'The connection was closed because of too many invalid requests.',
};

export class ChatConnection {
  private ws?: WebSocket;
  private attempt = 0;
  private stopped = false;
  private pingTimer?: number;
  private watchdog?: number;
  private retryTimer?: number;
  private lastFrameAt = 0;
  state: ConnectionState = 'closed';

  /** Counts connect attempts: an attempt that is no longer the latest drops what it made. */
  private generation = 0;
  private readonly onOnline = () => {
    if (!this.stopped && this.state !== 'open') this.retryNow();
  };
  private readonly onOffline = () => {
    // The socket may linger half-open; the watchdog or the next send finds out for sure.
    if (!this.stopped && this.state === 'open') this.setState('lost', 'offline');
  };

  constructor(private readonly o: ConnectionOptions) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.clearTimers();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.drop(1000);
    this.setState('closed');
  }

  /** Closes the current socket, if any, so that its events no longer count. */
  private drop(code?: number): void {
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close(code);
      } catch {
        ws.close();
      }
    }
  }

  /** Sends when open; returns false when the frame could not be handed to the socket. */
  send(frame: Frame): boolean {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  private setState(s: ConnectionState, detail?: string): void {
    this.state = s;
    this.o.onState(s, detail);
  }

  private retryNow(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const gen = ++this.generation;
    this.clearTimers();
    this.drop();
    this.setState(this.attempt === 0 ? 'connecting' : 'lost', this.attempt === 0 ? undefined : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.o.ticket();
      if (gen !== this.generation) return; // a newer attempt took over while we waited
    } catch (e: any) {
      if (gen !== this.generation) return;
      if (e?.status === 401 || e?.code === 'token_expired') {
        this.stopped = true;
        this.setState('closed');
        this.o.onFatal(4401, e?.message ?? FATAL[4401]);
        return;
      }
      this.scheduleRetry();
      return;
    }
    if (this.stopped || gen !== this.generation) return;
    const ws = new WebSocket(`${this.o.url}?ticket=${encodeURIComponent(ticket)}`, this.o.subprotocol);
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.lastFrameAt = Date.now();
      this.setState('open');
      this.startHeartbeat();
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      let f: Frame;
      try {
        f = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (f && typeof f.type === 'string' && f.type !== 'pong') this.o.onFrame(f);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.clearTimers();
      if (this.stopped) return;
      if (FATAL[ev.code]) {
        this.stopped = true;
        this.setState('closed');
        this.o.onFatal(ev.code, FATAL[ev.code]);
        return;
      }
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.attempt++;
    const base = Math.min(10_000, 500 * 2 ** Math.min(this.attempt - 1, 5));
    const delay = base / 2 + Math.random() * (base / 2);
    this.setState('lost', 'reconnecting');
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private startHeartbeat(): void {
    const every = Math.max(5, this.o.heartbeatSec) * 1000;
    this.pingTimer = window.setInterval(() => this.send({ type: 'ping' }), every);
    // A socket with no frame (not even a pong) for two heartbeats is dead, whatever it says.
    this.watchdog = window.setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * every + 2_000) {
        // A half-open socket may never fire onclose: give up on it now.
        this.drop();
        this.clearTimers();
        this.scheduleRetry();
      }
    }, 2_000);
  }

  private clearTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.pingTimer = undefined;
    this.watchdog = undefined;
  }
}
