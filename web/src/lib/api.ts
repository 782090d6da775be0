// Calls to the gateway's JSON API. Errors carry the server's code and plain-words message.

export interface ClientConfig {
  oidc: { issuer: string; clientId: string };
  privacyPolicy: { version: string; url: string };
  webSocketPath: string;
  subprotocol: string;
  heartbeatSec: number;
  maxTextLength: number;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface Auth {
  bearer?: string;
  guestToken?: string;
}

export class Api {
  constructor(readonly base: string) {}

  async json<T>(path: string, opts: { method?: string; auth?: Auth; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.auth?.bearer) headers.Authorization = `Bearer ${opts.auth.bearer}`;
    if (opts.auth?.guestToken) headers['X-Guest-Token'] = opts.auth.guestToken;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method: opts.method ?? 'GET',
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network', 'The service cannot be reached. Check your connection.');
    }
    const text = await res.text();
    let data: any = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      const code = data?.code ?? (res.status === 401 ? 'token_expired' : res.status === 404 ? 'not_found' : 'internal');
      const message = data?.message ?? plainStatus(res.status);
      throw new ApiError(res.status, code, message);
    }
    return data as T;
  }

  config(): Promise<ClientConfig> {
    return this.json<ClientConfig>('/api/v1/client-config');
  }
}

function plainStatus(status: number): string {
  if (status === 401) return 'Your sign-in has expired. Please sign in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests. Please wait a moment.';
  if (status >= 500) return 'The service is having trouble. Please try again shortly.';
  return `Request failed (${status}).`;
}
