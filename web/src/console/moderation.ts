// The moderator page (console/moderation.html, also shown in place of the console to a user
// who is a moderator or admin but no agent): the open report queue, a report's evidence (the
// reported messages, read by moderation-service from the transcript with authorization),
// dismiss, ban or mute with a reason and an expiry, the bans and mutes in force with lifting,
// and bans by guest fingerprint or IP hash. Everything goes through the moderator REST API
// (docs/moderation-actions.md); the page holds no state the server does not have.

import { Api } from '../lib/api';
import type { OidcClient } from '../lib/oidc';
import { el, formatTime, renderText, setText } from '../lib/render';
import {
  EXPIRY_CHOICES, LIFT_REASONS, REASONS, SUBJECT_WORDS, actorWords, ago, bansOf, expiryWords, moderationError, reportsOf, reputationWords,
  shortId, subjectProblem, untilWords,
  type EvidenceMessage, type Report, type Restriction, type RestrictionKind, type SubjectKind,
} from './moderation-model';

const API = '/api/v1/moderation';
const PAGE = 50;

export class ModerationPage {
  private readonly api = new Api('');
  private status: 'OPEN' | 'RESOLVED' = 'OPEN';
  private reports: Report[] = [];
  private olderCursor?: string;
  private selected?: string;
  private bans: Restriction[] = [];
  private banFilter: 'ALL' | RestrictionKind = 'ALL';
  private me = '';

  // DOM
  private live!: HTMLElement;
  private error!: HTMLElement;
  private reportList!: HTMLUListElement;
  private olderButton!: HTMLButtonElement;
  private detail!: HTMLElement;
  private detailHeading!: HTMLElement;
  private banList!: HTMLUListElement;

  constructor(private readonly oidc: OidcClient, private readonly opts: { agentConsole: boolean; compliance?: boolean }) {}

  private get auth() {
    return { bearer: this.oidc.accessToken };
  }

  start(app: HTMLElement): void {
    document.title = 'SecureChat moderation';
    // Shown in place of the console (console/index.html) the page's own stylesheet is not there yet.
    if (!document.querySelector('link[href="/console/moderation.css"]')) {
      document.head.append(el('link', { rel: 'stylesheet', href: '/console/moderation.css' }));
    }
    const skip = document.querySelector<HTMLAnchorElement>('a.skip');
    if (skip) {
      skip.href = '#reports';
      skip.textContent = 'Skip to the reports';
    }
    const c = this.oidc.claims!;
    this.me = c.sub;
    const roles = (c.realm_access?.roles ?? []).filter((r) => ['moderator', 'admin', 'agent', 'supervisor'].includes(r));
    const top = el('header', { class: 'topbar' },
      el('h1', {}, 'SecureChat moderation'),
      el('span', { id: 'me' }, `${c.name ?? c.preferred_username ?? 'Moderator'} (${roles.join(', ')})`),
      this.opts.agentConsole ? el('a', { class: 'toplink', href: '/console/' }, 'Agent console') : null,
      this.opts.compliance ? el('a', { class: 'toplink', href: '/console/compliance.html' }, 'Compliance') : null,
      el('span', { class: 'spacer' }),
      el('button', { type: 'button', onclick: () => void this.oidc.signOut(`${location.origin}/console/moderation.html`) }, 'Sign out'));
    // Results of actions are spoken (and shown) here; failures go to the alert line below it.
    this.live = el('p', { class: 'mod-live', id: 'mod-live', role: 'status', 'aria-live': 'polite' });
    this.error = el('p', { class: 'mod-error', id: 'mod-error', role: 'alert' });

    const statusSelect = el('select', { id: 'report-status', onchange: () => { this.status = statusSelect.value as any; this.selected = undefined; void this.loadReports(); } },
      el('option', { value: 'OPEN' }, 'Open'), el('option', { value: 'RESOLVED' }, 'Resolved'));
    this.reportList = el('ul', { class: 'list reports', id: 'report-list', 'aria-label': 'Reports, newest first' });
    this.olderButton = el('button', { type: 'button', hidden: true, onclick: () => void this.loadReports(true) }, 'Show older reports');
    const reportsCard = el('section', { class: 'card', id: 'reports', 'aria-labelledby': 'reports-h', tabindex: '-1' },
      el('div', { class: 'card-head' },
        el('h2', { id: 'reports-h' }, 'Reports'),
        el('label', {}, 'Show ', statusSelect),
        el('button', { type: 'button', id: 'reports-refresh', onclick: () => void this.loadReports() }, 'Refresh')),
      this.reportList, this.olderButton);

    this.detailHeading = el('h2', { id: 'detail-h', tabindex: '-1' }, 'Report');
    this.detail = el('div', { class: 'detail-body' }, el('p', { class: 'muted' }, 'Choose a report to see its evidence and act on it.'));
    const detailCard = el('section', { class: 'card', id: 'report-detail', 'aria-labelledby': 'detail-h' }, this.detailHeading, this.detail);

    const filter = el('select', { id: 'ban-filter', onchange: () => { this.banFilter = filter.value as any; void this.loadBans(); } },
      el('option', { value: 'ALL' }, 'Bans and mutes'), el('option', { value: 'BAN' }, 'Bans only'), el('option', { value: 'MUTE' }, 'Mutes only'));
    this.banList = el('ul', { class: 'list bans', id: 'ban-list', 'aria-label': 'Bans and mutes in force' });
    const bansCard = el('section', { class: 'card', id: 'bans', 'aria-labelledby': 'bans-h' },
      el('div', { class: 'card-head' },
        el('h2', { id: 'bans-h', tabindex: '-1' }, 'Bans and mutes in force'),
        el('label', {}, 'Show ', filter),
        el('button', { type: 'button', id: 'bans-refresh', onclick: () => void this.loadBans() }, 'Refresh')),
      this.banList,
      this.subjectForm());

    app.replaceChildren(top, this.live, this.error,
      el('main', { class: 'mod-layout' }, el('div', { class: 'mod-top' }, reportsCard, detailCard), bansCard));
    this.oidc.onExpired = () => this.fail('Your sign-in has expired. Please sign in again.');
    void this.loadReports();
    void this.loadBans();
    // New reports arrive without a push channel to this page: look every 10 s while visible.
    window.setInterval(() => {
      if (document.visibilityState === 'visible') void this.loadReports(false, true);
    }, 10_000);
    window.setInterval(() => this.tickAges(), 30_000);
  }

  // ---- messages to the moderator ----

  private say(text: string): void {
    setText(this.error, '');
    this.live.textContent = text;
  }

  private fail(text: string): void {
    this.error.textContent = text;
  }

  // ---- report queue ----

  private loading = false;

  private async loadReports(older = false, quiet = false): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const q = new URLSearchParams({ status: this.status, limit: String(PAGE) });
      if (older && this.olderCursor) q.set('before', this.olderCursor);
      const page = await this.api.json<unknown>(`${API}/reports?${q}`, { auth: this.auth });
      const got = reportsOf(page).sort((a, b) => (Date.parse(b.reportedAt ?? '') || 0) - (Date.parse(a.reportedAt ?? '') || 0));
      if (older) {
        const known = new Set(this.reports.map((r) => r.reportId));
        this.reports.push(...got.filter((r) => !known.has(r.reportId)));
      } else {
        // A refresh keeps the older pages already shown.
        const fresh = new Set(got.map((r) => r.reportId));
        const oldest = got.length ? Date.parse(got[got.length - 1].reportedAt ?? '') : NaN;
        const keep = got.length === PAGE ? this.reports.filter((r) => !fresh.has(r.reportId) && Date.parse(r.reportedAt ?? '') < oldest) : [];
        this.reports = [...got, ...(quiet ? keep : [])];
      }
      // The next page starts before the last report shown (the API pages by reportId).
      this.olderCursor = this.reports[this.reports.length - 1]?.reportId;
      this.olderButton.hidden = got.length < PAGE;
      this.drawReports();
      if (!quiet) setText(this.error, '');
    } catch (e) {
      if (!quiet) this.fail(moderationError(e, 'The reports cannot be loaded.'));
    } finally {
      this.loading = false;
    }
  }

  private drawReports(): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest('li')?.getAttribute('data-report');
    const items = this.reports.map((r) => {
      const restriction = r.activeBan ?? r.activeMute;
      return el('li', { 'data-report': r.reportId, 'data-conversation': r.conversationId, 'aria-current': r.reportId === this.selected ? 'true' : undefined },
        el('button', { type: 'button', class: 'report-open', onclick: () => void this.openReport(r.reportId) },
          el('span', { class: 'line' }, el('strong', {}, r.reason || 'No reason given'), ' ', el('span', { class: 'muted age', 'data-at': r.reportedAt }, ago(r.reportedAt))),
          el('span', { class: 'line' }, 'Reported user ', el('span', { class: 'id', title: r.reportedUserId }, shortId(r.reportedUserId, 18)),
            restriction ? el('span', { class: `tag ${restriction.kind === 'BAN' ? 'banned' : 'muted'}` }, restriction.kind === 'BAN' ? 'banned' : 'muted') : null),
          el('span', { class: 'line muted' }, `by ${shortId(r.reporterId, 18)} · conversation ${shortId(r.conversationId)} · ${reputationWords(r.reputation)}`),
          r.status === 'RESOLVED' ? el('span', { class: 'line muted' }, `${(r.resolution ?? 'resolved').toLowerCase()} by ${r.resolvedBy ?? 'a moderator'}`) : null));
    });
    if (!items.length) items.push(el('li', { class: 'muted empty-item' }, this.status === 'OPEN' ? 'No open reports. Well done.' : 'No resolved reports yet.'));
    this.reportList.replaceChildren(...items);
    if (focused) this.reportList.querySelector<HTMLElement>(`li[data-report="${CSS.escape(focused)}"] button`)?.focus();
  }

  private tickAges(): void {
    document.querySelectorAll<HTMLElement>('.age[data-at]').forEach((s) => setText(s, ago(s.dataset.at)));
  }

  // ---- one report ----

  private async openReport(id: string): Promise<void> {
    this.selected = id;
    this.reportList.querySelectorAll('li[data-report]').forEach((li) => {
      if (li.getAttribute('data-report') === id) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    });
    this.detailHeading.textContent = 'Report';
    this.detail.replaceChildren(el('p', { class: 'muted' }, 'Loading the report and its evidence…'));
    let r: Report;
    try {
      r = await this.api.json<Report>(`${API}/reports/${encodeURIComponent(id)}`, { auth: this.auth });
    } catch (e) {
      this.detail.replaceChildren(el('p', {}, moderationError(e, 'The report cannot be loaded.')));
      this.detailHeading.focus();
      return;
    }
    if (this.selected !== id) return; // another report was chosen meanwhile
    this.drawReport(r);
    this.detailHeading.focus();
  }

  /** The reported user's name as the evidence shows it (reports carry ids only). */
  private reportedName(r: Report): string | undefined {
    return r.evidence?.find((m) => m.sender?.userId === r.reportedUserId)?.sender?.displayName;
  }

  private drawReport(r: Report): void {
    const name = this.reportedName(r);
    this.detailHeading.textContent = `Report about ${name ?? shortId(r.reportedUserId, 18)}`;
    const restriction = r.activeBan ?? r.activeMute;
    const facts = el('dl', { class: 'facts' },
      el('dt', {}, 'Reported user'), el('dd', {}, name ? `${name} ` : '', el('span', { class: 'id' }, r.reportedUserId),
        restriction ? el('span', { class: `tag ${restriction.kind === 'BAN' ? 'banned' : 'muted'}` }, `${restriction.kind === 'BAN' ? 'banned' : 'muted'} ${untilWords(restriction.expiresAt)}`) : null),
      el('dt', {}, 'Reputation'), el('dd', {}, reputationWords(r.reputation)),
      el('dt', {}, 'Reported by'), el('dd', { class: 'id' }, r.reporterId ?? 'unknown'),
      el('dt', {}, 'Reporter took part'), el('dd', { class: r.reporterParticipant === false ? 'attention' : undefined },
        r.reporterParticipant === true ? 'yes, in this conversation'
          : r.reporterParticipant === false ? 'no: the reporter was not in this conversation' : 'could not be checked'),
      el('dt', {}, 'Conversation'), el('dd', { class: 'id' }, r.conversationId ?? 'unknown'),
      el('dt', {}, 'Reason'), el('dd', {}, r.reason || 'No reason given'),
      el('dt', {}, 'Reported'), el('dd', {}, r.reportedAt ? `${new Date(r.reportedAt).toLocaleString()} (${ago(r.reportedAt)})` : 'unknown'),
      el('dt', {}, 'Status'), el('dd', {}, r.status === 'OPEN' ? 'Open'
        : `${(r.resolution ?? 'Resolved').toLowerCase()} by ${r.resolvedBy ?? 'a moderator'}${r.resolvedAt ? ` on ${new Date(r.resolvedAt).toLocaleString()}` : ''}${r.note ? `: ${r.note}` : ''}`));
    const parts: (Node | null)[] = [facts, el('h3', {}, `Evidence (${r.evidence?.length ?? 0} of ${r.messageIds?.length ?? 0} reported messages)`)];
    if (r.evidenceUnavailable) {
      parts.push(el('p', { class: 'warn' }, 'The reported messages cannot be read right now: the transcript service did not answer. ',
        el('button', { type: 'button', onclick: () => void this.openReport(r.reportId) }, 'Try again')));
    } else if (!r.evidence?.length) {
      parts.push(el('p', { class: 'muted' }, r.messageIds?.length ? 'The reported messages are no longer kept (deleted or past retention).' : 'The reporter chose no messages.'));
    } else {
      const log = el('ol', { class: 'log evidence', 'aria-label': 'Reported messages', tabindex: '0' });
      for (const m of [...r.evidence].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))) log.append(this.evidenceItem(m, r.reportedUserId));
      parts.push(log);
    }
    if (r.status === 'OPEN') parts.push(this.actionForm(r, name));
    this.detail.replaceChildren(...parts.filter((p): p is Node => !!p));
  }

  private evidenceItem(m: EvidenceMessage, reported: string): HTMLElement {
    const mine = m.sender?.userId === reported;
    return el('li', { class: `msg ${mine ? 'reported' : 'theirs'}`, 'data-message': m.messageId },
      el('div', { class: 'meta' },
        el('span', { class: 'who' }, m.sender?.displayName ?? m.sender?.role ?? 'unknown'),
        el('span', { class: 'muted' }, m.sender?.role ?? ''),
        m.seq !== undefined ? el('span', { class: 'muted' }, `#${m.seq}`) : null,
        el('time', { dateTime: m.sentAt ?? '' }, m.sentAt ? `${new Date(m.sentAt).toLocaleDateString()} ${formatTime(m.sentAt)}` : '')),
      el('div', { class: 'text' }, renderText(String(m.text ?? ''), m.redactions ?? [])));
  }

  /** Dismiss, or ban or mute the reported user, with a reason and an expiry. */
  private actionForm(r: Report, name: string | undefined): HTMLElement {
    const who = name ?? shortId(r.reportedUserId, 18);
    const reason = reasonSelect('act-reason', r.reason);
    const expiry = el('select', { id: 'act-expiry' }, ...EXPIRY_CHOICES.map((c) => el('option', { value: c.value }, c.label)));
    expiry.value = 'PT24H';
    const note = el('input', { type: 'text', id: 'act-note', maxLength: 1000, autocomplete: 'off' });
    const formError = el('p', { class: 'form-error', role: 'alert' });
    const buttons: HTMLButtonElement[] = [];
    const run = async (what: () => Promise<string>) => {
      buttons.forEach((b) => (b.disabled = true));
      setText(formError, '');
      try {
        const words = await what();
        this.say(words);
        this.selected = undefined;
        this.detailHeading.textContent = 'Report';
        this.detail.replaceChildren(el('p', { class: 'muted' }, words));
        await Promise.all([this.loadReports(), this.loadBans()]);
        (this.reportList.querySelector<HTMLElement>('li[data-report] button') ?? this.detailHeading).focus();
      } catch (e) {
        formError.textContent = moderationError(e);
        buttons.forEach((b) => (b.disabled = false));
        if ((e as any)?.status === 404 || (e as any)?.status === 409) void this.loadReports(false, true);
      }
    };
    const act = (kind: RestrictionKind) => run(async () => {
      const text = note.value.trim();
      const ban = await this.restrict({ subjectKind: 'USER', subject: r.reportedUserId, kind, reason: reason.value, duration: expiry.value, reportId: r.reportId, note: text });
      await this.resolve(r.reportId, 'ACTIONED', text);
      return `${kind === 'BAN' ? 'Banned' : 'Muted'} ${who} ${expiryWords(expiry.value)}${ban?.expiresAt ? ` (${untilWords(ban.expiresAt)})` : ''}. The report is closed as actioned.`;
    });
    const ban = el('button', { type: 'button', class: 'danger', id: 'act-ban', onclick: () => void act('BAN') }, 'Ban');
    const mute = el('button', { type: 'button', id: 'act-mute', onclick: () => void act('MUTE') }, 'Mute');
    const dismiss = el('button', { type: 'button', id: 'act-dismiss', onclick: () => void run(async () => {
      await this.resolve(r.reportId, 'DISMISSED', note.value.trim());
      return `Report about ${who} dismissed.`;
    }) }, 'Dismiss report');
    buttons.push(ban, mute, dismiss);
    return el('form', { class: 'act', 'aria-labelledby': 'act-h', onsubmit: (e: Event) => e.preventDefault() },
      el('h3', { id: 'act-h' }, `Act on ${who}`),
      el('div', { class: 'fields' },
        el('div', { class: 'field' }, el('label', { for: 'act-reason' }, 'Reason'), reason),
        el('div', { class: 'field' }, el('label', { for: 'act-expiry' }, 'For'), expiry),
        el('div', { class: 'field wide' }, el('label', { for: 'act-note' }, 'Note for the record (optional, kept with the report and the ban)'), note)),
      formError,
      el('div', { class: 'buttons' }, ban, mute, dismiss));
  }

  private async restrict(body: { subjectKind: SubjectKind; subject: string; kind: RestrictionKind; reason: string; duration: string; reportId?: string; note?: string }): Promise<Restriction | undefined> {
    const { duration, reportId, note, ...rest } = body;
    return this.api.json<Restriction>(`${API}/bans`, {
      method: 'POST',
      auth: this.auth,
      body: { ...rest, ...(duration ? { duration } : {}), ...(reportId ? { reportId } : {}), ...(note ? { note } : {}) },
    });
  }

  private async resolve(id: string, resolution: 'DISMISSED' | 'ACTIONED', note: string): Promise<void> {
    try {
      await this.api.json(`${API}/reports/${encodeURIComponent(id)}/resolve`, { method: 'POST', auth: this.auth, body: { resolution, ...(note ? { note } : {}) } });
    } catch (e) {
      // A ban with its reportId may have closed the report already: that is the wanted end.
      if (!(resolution === 'ACTIONED' && (e as any)?.status === 409)) throw e;
    }
  }

  // ---- bans and mutes ----

  private async loadBans(): Promise<void> {
    try {
      this.bans = bansOf(await this.api.json<unknown>(`${API}/bans?kind=${this.banFilter}&limit=500`, { auth: this.auth }))
        .filter((b) => this.banFilter === 'ALL' || b.kind === this.banFilter);
      this.drawBans();
    } catch (e) {
      this.fail(moderationError(e, 'The bans cannot be loaded.'));
    }
  }

  private drawBans(): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest('li')?.getAttribute('data-ban');
    const items = this.bans.map((b) => el('li', { 'data-ban': b.id, 'data-subject': b.subject },
      el('div', { class: 'info' },
        el('span', {}, el('span', { class: `tag ${b.kind === 'BAN' ? 'banned' : 'muted'}` }, b.kind === 'BAN' ? 'ban' : 'mute'), ' ',
          `${SUBJECT_WORDS[b.subjectKind] ?? b.subjectKind} `, el('span', { class: 'id', title: b.subject }, shortId(b.subject, 24))),
        el('span', { class: 'muted' }, b.reason ?? ''),
        el('span', { class: 'muted' }, `${untilWords(b.expiresAt)} · by ${actorWords(b.createdBy, this.me)}${b.createdAt ? ` · ${ago(b.createdAt)}` : ''}`)),
      el('button', { type: 'button', class: 'lift', 'aria-label': `Lift the ${b.kind === 'BAN' ? 'ban' : 'mute'} of ${b.subject}`, onclick: (e: Event) => this.liftForm(b, (e.currentTarget as HTMLElement).closest('li')!) }, 'Lift…')));
    if (!items.length) items.push(el('li', { class: 'muted empty-item' }, 'Nobody is banned or muted.'));
    this.banList.replaceChildren(...items);
    if (focused) this.banList.querySelector<HTMLElement>(`li[data-ban="${CSS.escape(focused)}"] button`)?.focus();
  }

  private liftForm(b: Restriction, li: HTMLElement): void {
    li.querySelector('.lift-form')?.remove();
    const what = b.kind === 'BAN' ? 'ban' : 'mute';
    const reason = el('select', { 'aria-label': `Why lift this ${what}` }, ...LIFT_REASONS.map((r) => el('option', { value: r.value }, r.label)));
    const err = el('span', { class: 'form-error', role: 'alert' });
    const go = el('button', { type: 'submit', class: 'primary' }, `Lift ${what}`);
    const form = el('form', { class: 'lift-form' }, el('span', {}, 'Why: '), reason, go,
      el('button', { type: 'button', onclick: () => { form.remove(); li.querySelector<HTMLElement>('button.lift')?.focus(); } }, 'Cancel'), err);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      go.disabled = true;
      void this.api.json(`${API}/bans/${encodeURIComponent(b.id)}?reason=${encodeURIComponent(reason.value)}`, { method: 'DELETE', auth: this.auth })
        .then(async () => {
          this.say(`${what === 'ban' ? 'Ban' : 'Mute'} of ${SUBJECT_WORDS[b.subjectKind] ?? b.subjectKind} ${shortId(b.subject, 24)} lifted.`);
          await this.loadBans();
          document.getElementById('bans-h')?.focus();
        })
        .catch((e2) => {
          err.textContent = moderationError(e2);
          go.disabled = false;
          if ((e2 as any)?.status === 404 || (e2 as any)?.status === 409) void this.loadBans();
        });
    });
    li.append(form);
    reason.focus();
  }

  /** Ban or mute by guest fingerprint, IP hash or user id, without a report. */
  private subjectForm(): HTMLElement {
    const kindOf = el('select', { id: 'sub-kind' },
      el('option', { value: 'GUEST_FINGERPRINT' }, SUBJECT_WORDS.GUEST_FINGERPRINT),
      el('option', { value: 'IP_HASH' }, SUBJECT_WORDS.IP_HASH),
      el('option', { value: 'USER' }, 'User id'));
    const subject = el('input', { type: 'text', id: 'sub-subject', maxLength: 128, autocomplete: 'off', spellcheck: false, 'aria-describedby': 'sub-hint' });
    const kind = el('select', { id: 'sub-action' }, el('option', { value: 'BAN' }, 'Ban'), el('option', { value: 'MUTE' }, 'Mute'));
    const reason = reasonSelect('sub-reason');
    const expiry = el('select', { id: 'sub-expiry' }, ...EXPIRY_CHOICES.map((c) => el('option', { value: c.value }, c.label)));
    expiry.value = 'PT24H';
    const note = el('input', { type: 'text', id: 'sub-note', maxLength: 1000, autocomplete: 'off' });
    const err = el('p', { class: 'form-error', role: 'alert' });
    const go = el('button', { type: 'submit', class: 'danger', id: 'sub-apply' }, 'Apply');
    const form = el('form', { class: 'act subject-form', 'aria-labelledby': 'sub-h', novalidate: true },
      el('h3', { id: 'sub-h' }, 'Ban or mute by guest fingerprint, IP hash or user id'),
      el('div', { class: 'fields' },
        el('div', { class: 'field' }, el('label', { for: 'sub-kind' }, 'Who'), kindOf),
        el('div', { class: 'field' }, el('label', { for: 'sub-action' }, 'Action'), kind),
        el('div', { class: 'field' }, el('label', { for: 'sub-expiry' }, 'For'), expiry),
        el('div', { class: 'field' }, el('label', { for: 'sub-reason' }, 'Reason'), reason),
        el('div', { class: 'field wide' }, el('label', { for: 'sub-subject' }, 'Fingerprint, hash or id'), subject,
          el('span', { class: 'muted', id: 'sub-hint' }, 'Guest fingerprints and IP hashes are 64 characters 0-9 and a-f (IP hashes: from the audit trail); user ids as in a report.')),
        el('div', { class: 'field wide' }, el('label', { for: 'sub-note' }, 'Note for the record (optional)'), note)),
      err, el('div', { class: 'buttons' }, go));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const sk = kindOf.value as SubjectKind;
      const s = sk === 'USER' ? subject.value.trim() : subject.value.trim().toLowerCase();
      const problem = subjectProblem(sk, s);
      if (problem) {
        err.textContent = problem;
        subject.focus();
        return;
      }
      setText(err, '');
      go.disabled = true;
      const k = kind.value as RestrictionKind;
      void this.restrict({ subjectKind: sk, subject: s, kind: k, reason: reason.value, duration: expiry.value, note: note.value.trim() })
        .then(async (b) => {
          this.say(`${k === 'BAN' ? 'Banned' : 'Muted'} ${SUBJECT_WORDS[sk]} ${shortId(s, 24)} ${expiryWords(expiry.value)}${b?.expiresAt ? ` (${untilWords(b.expiresAt)})` : ''}.`);
          subject.value = '';
          note.value = '';
          await this.loadBans();
        })
        .catch((e2) => { err.textContent = moderationError(e2); })
        .finally(() => { go.disabled = false; });
    });
    return form;
  }
}

/** A select of reason codes, preselecting the report's reason when it is one of them. */
function reasonSelect(id: string, preset?: string): HTMLSelectElement {
  const select = el('select', { id }, ...REASONS.map((r) => el('option', { value: r }, r)));
  const p = (preset ?? '').trim().toLowerCase();
  select.value = REASONS.includes(p) ? p : 'other';
  return select;
}
