// OpenID Connect sign-in for public browser clients: authorization code flow with PKCE (S256).
// Tokens live in memory only (never localStorage or cookies of ours); the short-lived PKCE
// verifier and state survive the redirect in sessionStorage and are removed on return.

const PENDING_KEY = 'securechat.oidc.pending';

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  expiresAt: number; // epoch ms
}

export interface Claims {
  sub: string;
  name?: string;
  preferred_username?: string;
  realm_access?: { roles?: string[] };
  exp?: number;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

function b64url(bytes: Uint8Array): string {
  let s = '';
  bytes.forEach((b) => (s += String.fromCharCode(b)));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n = 32): string {
  const a = new Uint8Array(n);
  crypto.getRandomValues(a);
  return b64url(a);
}

export function decodeClaims(jwt: string): Claims {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
}

export class OidcClient {
  private discovery?: Discovery;
  private tokens?: Tokens;
  private refreshTimer?: number;
  /** Called with each new access token (to refresh the socket's authentication). */
  onTokens: (t: Tokens) => void = () => {};
  /** Called when the session cannot be kept (refresh refused). */
  onExpired: () => void = () => {};

  constructor(readonly issuer: string, readonly clientId: string) {}

  private async discover(): Promise<Discovery> {
    if (!this.discovery) {
      const res = await fetch(`${this.issuer}/.well-known/openid-configuration`, { credentials: 'omit' });
      if (!res.ok) throw new Error('The sign-in service cannot be reached.');
      this.discovery = (await res.json()) as Discovery;
    }
    return this.discovery;
  }

  get accessToken(): string | undefined {
    return this.tokens?.accessToken;
  }

  get claims(): Claims | undefined {
    return this.tokens ? decodeClaims(this.tokens.accessToken) : undefined;
  }

  /** Leaves the page for the sign-in server; comes back to returnTo with a code. */
  async signIn(returnTo: string = location.origin + location.pathname): Promise<never> {
    const d = await this.discover();
    const verifier = random(48);
    const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    const state = random(16);
    const nonce = random(16);
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce, returnTo }));
    const url = new URL(d.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.clientId,
      redirect_uri: returnTo,
      response_type: 'code',
      scope: 'openid profile',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      nonce,
    }).toString();
    location.assign(url.toString());
    return new Promise<never>(() => {});
  }

  /** Finishes a sign-in if this page load is the return from the sign-in server. */
  async completeSignIn(): Promise<boolean> {
    const params = new URLSearchParams(location.search);
    const code = params.get('code');
    const state = params.get('state');
    const error = params.get('error');
    const pendingRaw = sessionStorage.getItem(PENDING_KEY);
    // Only a return from a sign-in this tab started counts: a crafted link with ?code= or
    // ?error= is ignored (and its text never shown).
    if ((!code && !error) || !pendingRaw) return false;
    const pending = JSON.parse(pendingRaw) as { verifier: string; state: string; nonce: string; returnTo: string };
    if (pending.state !== state) return false;
    sessionStorage.removeItem(PENDING_KEY);
    const rest = new URLSearchParams(location.search);
    for (const k of ['code', 'state', 'session_state', 'iss', 'error', 'error_description']) rest.delete(k);
    history.replaceState(null, '', location.pathname + (rest.toString() ? `?${rest}` : '') + location.hash);
    if (error) throw new Error('The sign-in was cancelled or refused. Please try again.');
    const d = await this.discover();
    await this.tokenRequest(d.token_endpoint, {
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: pending.returnTo,
      client_id: this.clientId,
      code_verifier: pending.verifier,
    });
    if (this.tokens?.idToken && (decodeClaims(this.tokens.idToken) as any).nonce !== pending.nonce) {
      this.tokens = undefined;
      throw new Error('The sign-in could not be completed (nonce mismatch). Please try again.');
    }
    return true;
  }

  private async tokenRequest(endpoint: string, form: Record<string, string>): Promise<void> {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      credentials: 'omit',
    });
    if (!res.ok) throw new Error('The sign-in service refused the request. Please sign in again.');
    const t = await res.json();
    this.tokens = {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      idToken: t.id_token ?? this.tokens?.idToken,
      expiresAt: Date.now() + (t.expires_in ?? 300) * 1000,
    };
    this.scheduleRefresh();
    this.onTokens(this.tokens);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (!this.tokens?.refreshToken) return;
    const inMs = Math.max(5_000, this.tokens.expiresAt - Date.now() - 60_000);
    this.refreshTimer = window.setTimeout(() => void this.refresh(), inMs);
  }

  async refresh(): Promise<void> {
    if (!this.tokens?.refreshToken) return;
    try {
      const d = await this.discover();
      await this.tokenRequest(d.token_endpoint, {
        grant_type: 'refresh_token',
        refresh_token: this.tokens.refreshToken,
        client_id: this.clientId,
      });
    } catch {
      this.tokens = undefined;
      this.onExpired();
    }
  }

  async signOut(returnTo: string): Promise<void> {
    const d = await this.discover();
    const idToken = this.tokens?.idToken;
    this.tokens = undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (d.end_session_endpoint) {
      const url = new URL(d.end_session_endpoint);
      url.search = new URLSearchParams({
        client_id: this.clientId,
        post_logout_redirect_uri: returnTo,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).toString();
      location.assign(url.toString());
    } else {
      location.assign(returnTo);
    }
  }
}
