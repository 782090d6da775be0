// The compliance page (console/compliance.html, also shown in place of the console to a user
// who is a compliance officer but no agent, supervisor or moderator): search the audit trail,
// read one record with its place in the hash chain, prove its inclusion in the signed log,
// verify the whole chain, download an export (NDJSON or CSV) and the public signing key for the
// offline check. Everything goes through audit-service's API (/api/v1/audit/**); the page holds
// nothing the server does not have, and the token stays in memory as in the console.

import { Api, ApiError } from '../lib/api';
import type { OidcClient } from '../lib/oidc';
import { el, setText } from '../lib/render';
import {
  ACTION_SUGGESTIONS, DEFAULT_PERIOD, OFFLINE_COMMAND, PAGE_SIZES, PERIODS, actorOf, complianceError, count, detailEntries,
  dispositionName, filterQuery, filterWords, outcomeWords, pageOf, periodRange, publicKeyFile, resourceOf, searchQuery,
  shortId, sizeWords, stamp, verifyWords, zoneWords,
  type AuditRecord, type FilterField, type Filters, type InclusionProof, type SigningKey, type TreeHead, type VerifyResult,
} from './compliance-model';

const API = '/api/v1/audit';

export class CompliancePage {
  private readonly api = new Api('');
  /** The filters of the last search: what the table shows and what an export downloads. */
  private filters = new URLSearchParams();
  private limit = 100;
  private records: AuditRecord[] = [];
  private nextBefore: number | null = null;
  private selected?: string;
  private generation = 0;
  private keys: SigningKey[] = [];
  private head?: TreeHead;

  // DOM
  private banner!: HTMLElement;
  private live!: HTMLElement;
  private form!: HTMLFormElement;
  private inputs!: Record<FilterField, HTMLInputElement>;
  private period!: HTMLSelectElement;
  private pageSize!: HTMLSelectElement;
  private formError!: HTMLElement;
  private table!: HTMLTableElement;
  private caption!: HTMLElement;
  private tbody!: HTMLTableSectionElement;
  private olderButton!: HTMLButtonElement;
  private recordHeading!: HTMLElement;
  private recordBody!: HTMLElement;
  private exportFilters!: HTMLElement;
  private exportStatus!: HTMLElement;
  private keyList!: HTMLUListElement;
  private checkpoint!: HTMLElement;

  constructor(private readonly oidc: OidcClient, private readonly opts: { agentConsole: boolean; moderation: boolean }) {}

  private get auth() {
    return { bearer: this.oidc.accessToken };
  }

  start(app: HTMLElement): void {
    document.title = 'SecureChat compliance';
    // Shown in place of the console (console/index.html) the page's own stylesheet is not there yet.
    if (!document.querySelector('link[href="/console/compliance.css"]')) {
      document.head.append(el('link', { rel: 'stylesheet', href: '/console/compliance.css' }));
    }
    const skip = document.querySelector<HTMLAnchorElement>('a.skip');
    if (skip) {
      skip.href = '#results-card';
      skip.textContent = 'Skip to the records';
    }
    this.banner = document.getElementById('banner') ?? el('div', { id: 'banner', class: 'banner', role: 'alert', hidden: true });
    if (!this.banner.isConnected) document.body.prepend(this.banner);
    const c = this.oidc.claims!;
    const roles = (c.realm_access?.roles ?? []).filter((r) => ['compliance', 'admin', 'moderator', 'agent', 'supervisor'].includes(r));
    const top = el('header', { class: 'topbar' },
      el('h1', {}, 'SecureChat compliance'),
      el('span', { id: 'me' }, `${c.name ?? c.preferred_username ?? 'Compliance officer'} (${roles.join(', ')})`),
      this.opts.agentConsole ? el('a', { class: 'toplink', href: '/console/' }, 'Agent console') : null,
      this.opts.moderation ? el('a', { class: 'toplink', href: '/console/moderation.html' }, 'Moderation') : null,
      el('span', { class: 'spacer' }),
      el('button', { type: 'button', onclick: () => void this.oidc.signOut(`${location.origin}/console/compliance.html`) }, 'Sign out'));
    // Results of actions are spoken (and shown) here; failures go to the red banner.
    this.live = el('p', { class: 'cmp-live', id: 'cmp-live', role: 'status', 'aria-live': 'polite' });

    app.replaceChildren(top, this.live,
      el('main', { class: 'cmp-layout' },
        this.searchCard(),
        el('div', { class: 'cmp-main' }, this.resultsCard(), this.recordCard()),
        el('div', { class: 'cmp-tools' }, this.verifyCard(), this.exportCard())));
    this.oidc.onExpired = () => this.fail('Your sign-in has expired. Please sign in again.');
    this.applyPeriod(DEFAULT_PERIOD);
    void this.search();
    void this.loadKeys();
  }

  // ---- messages to the officer ----

  private say(text: string): void {
    this.live.textContent = text;
  }

  private fail(text: string): void {
    this.banner.textContent = text;
    this.banner.className = 'banner error';
    this.banner.hidden = false;
  }

  private clearFail(): void {
    if (this.banner.classList.contains('error')) this.banner.hidden = true;
  }

  // ---- search ----

  private searchCard(): HTMLElement {
    const input = (id: FilterField, props: Record<string, any> = {}) =>
      el('input', { id: `f-${id}`, name: id, type: 'text', autocomplete: 'off', spellcheck: false, ...props });
    this.inputs = {
      actor: input('actor', { maxLength: 128, 'aria-describedby': 'f-actor-hint' }),
      action: input('action', { maxLength: 128, 'aria-describedby': 'f-action-hint' }),
      resource: input('resource', { maxLength: 300, 'aria-describedby': 'f-resource-hint' }),
      from: input('from', { type: 'datetime-local', step: 60 }),
      to: input('to', { type: 'datetime-local', step: 60, 'aria-describedby': 'f-to-hint' }),
    };
    // A datalist element's options are suggestions only; any action may be typed.
    this.inputs.action.setAttribute('list', 'f-action-list');
    const actions = el('datalist', { id: 'f-action-list' }, ...ACTION_SUGGESTIONS.map((a) => el('option', { value: a })));
    this.period = el('select', { id: 'f-period', onchange: () => this.applyPeriod(this.period.value) },
      ...PERIODS.map((p) => el('option', { value: p.value }, p.label)));
    for (const f of [this.inputs.from, this.inputs.to]) f.addEventListener('input', () => { this.period.value = 'custom'; });
    this.pageSize = el('select', { id: 'f-limit' }, ...PAGE_SIZES.map((n) => el('option', { value: String(n) }, `${n} per page`)));
    this.pageSize.value = String(this.limit);
    this.formError = el('p', { class: 'form-error', id: 'f-error', role: 'alert' });
    const field = (id: string, label: string, control: HTMLElement, hint?: string, wide = false) =>
      el('div', { class: `field${wide ? ' wide' : ''}` }, el('label', { for: id }, label), control,
        hint ? el('span', { class: 'muted', id: `${id}-hint` }, hint) : null);
    this.form = el('form', { class: 'search-form', id: 'search-form', 'aria-labelledby': 'search-h', novalidate: true },
      el('div', { class: 'fields' },
        field('f-actor', 'Actor (user id)', this.inputs.actor, 'Exact user id, e.g. guest:… or a Keycloak id'),
        field('f-action', 'Action', this.inputs.action, 'message.rejected, or a prefix: moderation.*'),
        field('f-resource', 'Resource', this.inputs.resource, 'A type (conversation) or type:id'),
        field('f-period', 'Time range', this.period),
        field('f-from', 'From', this.inputs.from),
        field('f-to', 'To', this.inputs.to, 'Empty: until now'),
        field('f-limit', 'Page size', this.pageSize)),
      actions,
      this.formError,
      el('div', { class: 'buttons' },
        el('button', { type: 'submit', class: 'primary', id: 'f-search' }, 'Search'),
        el('button', { type: 'button', id: 'f-reset', onclick: () => this.resetForm() }, 'Clear filters')));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.search();
    });
    return el('section', { class: 'card', id: 'search', 'aria-labelledby': 'search-h' },
      el('h2', { id: 'search-h' }, 'Search the audit trail'), this.form);
  }

  private applyPeriod(value: string): void {
    this.period.value = value;
    const range = periodRange(value);
    if (range) {
      this.inputs.from.value = range.from;
      this.inputs.to.value = range.to;
    }
  }

  private resetForm(): void {
    for (const k of ['actor', 'action', 'resource'] as const) this.inputs[k].value = '';
    this.applyPeriod(DEFAULT_PERIOD);
    this.pageSize.value = '100';
    void this.search();
  }

  private currentFilters(): Filters {
    // A preset period ends now: its start moves with the clock at every search.
    if (this.period.value !== 'custom') this.applyPeriod(this.period.value);
    const v = (k: FilterField) => this.inputs[k].value;
    return { actor: v('actor'), action: v('action'), resource: v('resource'), from: v('from'), to: v('to') };
  }

  private async search(): Promise<void> {
    const checked = filterQuery(this.currentFilters());
    for (const i of Object.values(this.inputs)) i.removeAttribute('aria-invalid');
    if (checked.query === undefined) {
      this.formError.textContent = checked.problem;
      this.inputs[checked.field].setAttribute('aria-invalid', 'true');
      this.inputs[checked.field].focus();
      return;
    }
    setText(this.formError, '');
    this.filters = checked.query;
    this.limit = Number(this.pageSize.value) || 100;
    this.records = [];
    this.nextBefore = null;
    setText(this.exportFilters, `Records matching: ${filterWords(this.filters)}.`);
    await this.load(false);
  }

  private async load(older: boolean): Promise<void> {
    const gen = ++this.generation;
    this.table.setAttribute('aria-busy', 'true');
    this.olderButton.disabled = true;
    if (!older) this.say('Searching…');
    try {
      const q = searchQuery(this.filters, this.limit, older ? this.nextBefore : undefined);
      const page = pageOf(await this.api.json<unknown>(`${API}/events?${q}`, { auth: this.auth }));
      if (gen !== this.generation) return; // a newer search took over
      const firstNew = this.records.length;
      const known = new Set(this.records.map((r) => r.event.eventId));
      this.records.push(...page.items.filter((r) => !known.has(r.event.eventId)));
      this.nextBefore = page.items.length ? page.nextBefore : null;
      this.drawRecords();
      this.clearFail();
      if (older) {
        this.say(`${count(this.records.length - firstNew)} older records shown, ${count(this.records.length)} in all.`);
        this.tbody.rows[firstNew]?.querySelector<HTMLElement>('button')?.focus();
      } else {
        this.say(this.records.length
          ? `${count(this.records.length)} record${this.records.length === 1 ? '' : 's'} found${this.nextBefore !== null ? ' (older ones on the next page)' : ''}.`
          : 'No records match these filters.');
      }
    } catch (e) {
      if (gen !== this.generation) return;
      this.say('');
      if (!older) {
        this.records = [];
        this.drawRecords(complianceError(e, 'The records cannot be loaded.'));
      }
      this.fail(complianceError(e, 'The records cannot be loaded.'));
    } finally {
      if (gen === this.generation) {
        this.table.removeAttribute('aria-busy');
        this.olderButton.disabled = false;
      }
    }
  }

  // ---- results ----

  private resultsCard(): HTMLElement {
    this.caption = el('caption', {}, 'Records, newest first');
    this.tbody = el('tbody', {});
    this.table = el('table', { class: 'records', id: 'results' }, this.caption,
      el('thead', {}, el('tr', {}, ...['Time', 'Actor', 'Action', 'Resource', 'Outcome', 'Service'].map((h) => el('th', { scope: 'col' }, h)))),
      this.tbody);
    this.olderButton = el('button', { type: 'button', id: 'older', hidden: true, onclick: () => void this.load(true) }, 'Show older records');
    return el('section', { class: 'card', id: 'results-card', 'aria-labelledby': 'results-h', tabindex: '-1' },
      el('h2', { id: 'results-h' }, 'Records'),
      el('div', { class: 'table-wrap', role: 'region', 'aria-label': 'Records table (scrolls sideways on small screens)', tabindex: '0' }, this.table),
      this.olderButton);
  }

  private drawRecords(errorWords?: string): void {
    this.caption.textContent = `Records matching ${filterWords(this.filters)}, newest first. Times in your time zone (${zoneWords()}). Open a record with its time.`;
    const rows = this.records.map((r) => {
      const e = r.event;
      const resource = resourceOf(e);
      return el('tr', { 'data-event': e.eventId, 'data-seq': String(r.seq), 'aria-current': e.eventId === this.selected ? 'true' : undefined },
        el('td', {}, el('button', { type: 'button', class: 'open-record', title: e.occurredAt ?? '',
          'aria-label': `Open record ${r.seq}: ${e.action ?? 'unknown action'} at ${stamp(e.occurredAt ?? r.recordedAt)}`,
          onclick: () => void this.openRecord(e.eventId) }, stamp(e.occurredAt ?? r.recordedAt) || `#${r.seq}`)),
        el('td', { class: 'id', title: actorOf(e) }, shortId(actorOf(e), 22)),
        el('td', {}, e.action ?? ''),
        el('td', { class: 'id', title: resource }, shortId(resource, 30)),
        el('td', {}, el('span', { class: `outcome ${String(e.outcome ?? '').toLowerCase()}` }, outcomeWords(e.outcome))),
        el('td', {}, e.service ?? ''));
    });
    if (!rows.length) {
      rows.push(el('tr', { class: 'empty-row' }, el('td', { colSpan: 6 }, errorWords
        ? `${errorWords}`
        : 'No records match these filters. Widen the time range or clear a filter.')));
    }
    this.tbody.replaceChildren(...rows);
    this.olderButton.hidden = this.nextBefore === null;
  }

  // ---- one record ----

  private recordCard(): HTMLElement {
    this.recordHeading = el('h2', { id: 'record-h', tabindex: '-1' }, 'Record');
    this.recordBody = el('div', { class: 'record-body' }, el('p', { class: 'muted' }, 'Choose a record to see all its fields and prove that it is in the signed log.'));
    return el('section', { class: 'card', id: 'record', 'aria-labelledby': 'record-h' }, this.recordHeading, this.recordBody);
  }

  private async openRecord(eventId: string): Promise<void> {
    this.selected = eventId;
    for (const tr of Array.from(this.tbody.rows)) {
      if (tr.dataset.event === eventId) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
    }
    this.recordHeading.textContent = 'Record';
    this.recordBody.replaceChildren(el('p', { class: 'muted' }, 'Loading the record…'));
    let r: AuditRecord;
    try {
      r = await this.api.json<AuditRecord>(`${API}/events/${encodeURIComponent(eventId)}`, { auth: this.auth });
      if (!r?.event) throw new ApiError(404, 'not_found', 'Not found.');
    } catch (e) {
      if (this.selected !== eventId) return;
      this.recordBody.replaceChildren(el('p', { class: 'form-error' }, complianceError(e, 'The record cannot be loaded.')));
      if ((e as any)?.status === 403 || (e as any)?.status === 401) this.fail(complianceError(e));
      this.recordHeading.focus();
      return;
    }
    if (this.selected !== eventId) return; // another record was chosen meanwhile
    this.drawRecord(r);
    this.recordHeading.focus();
  }

  private drawRecord(r: AuditRecord): void {
    const e = r.event;
    this.recordHeading.textContent = `Record #${r.seq}: ${e.action ?? 'unknown action'}`;
    const fact = (term: string, value: Node | string, cls?: string) => [el('dt', {}, term), el('dd', { class: cls }, value)];
    const time = (iso?: string) => (iso ? el('time', { dateTime: iso, title: iso }, `${stamp(iso)} (${iso})`) : 'unknown');
    const facts = el('dl', { class: 'facts', id: 'record-facts' },
      ...fact('Sequence number', `#${r.seq}`),
      ...fact('Occurred', time(e.occurredAt)),
      ...fact('Recorded', time(r.recordedAt)),
      ...fact('Event id', e.eventId, 'id'),
      ...fact('Action', e.action ?? ''),
      ...fact('Outcome', el('span', { class: `outcome ${String(e.outcome ?? '').toLowerCase()}` }, outcomeWords(e.outcome))),
      ...fact('Service', e.service ?? ''),
      ...fact('Actor', actorOf(e), 'id'),
      ...fact('Actor roles', e.actor?.roles?.length ? e.actor.roles.join(', ') : 'none'),
      ...fact('Actor IP', e.actor?.ip ?? 'not recorded', 'id'),
      ...fact('Resource type', e.resource?.type ?? ''),
      ...fact('Resource id', e.resource?.id ?? '', 'id'),
      ...fact('Event format', `version ${e.v ?? '?'}`));
    const entries = detailEntries(e.details);
    const details = entries.length
      ? el('dl', { class: 'facts details', id: 'record-details' }, ...entries.flatMap(([k, v]) => fact(k, v, 'value')))
      : el('p', { class: 'muted', id: 'record-details' }, 'No details.');
    const chain = el('dl', { class: 'facts chain' },
      ...fact('Hash', r.hash ?? 'none', 'hash'),
      ...fact('Previous hash', r.prevHash ?? 'none', 'hash'));
    const proof = el('div', { class: 'proof', id: 'proof', role: 'status', 'aria-live': 'polite' });
    const prove = el('button', { type: 'button', class: 'primary', id: 'prove', onclick: () => void this.prove(r, prove, proof) }, 'Prove inclusion');
    const actor = e.actor?.userId;
    const resource = resourceOf(e);
    const buttons = el('div', { class: 'buttons' }, prove,
      actor ? el('button', { type: 'button', onclick: () => this.filterBy('actor', actor) }, 'Records of this actor') : null,
      resource ? el('button', { type: 'button', onclick: () => this.filterBy('resource', resource) }, 'Records of this resource') : null);
    const raw = el('details', { class: 'raw' }, el('summary', {}, 'The record as stored (JSON)'), el('pre', {}, JSON.stringify(r, null, 2)));
    this.recordBody.replaceChildren(facts, el('h3', {}, 'Details'), details, el('h3', {}, 'Hash chain'), chain, buttons, proof, raw);
  }

  private filterBy(field: 'actor' | 'resource', value: string): void {
    this.inputs[field].value = value;
    void this.search().then(() => this.inputs[field].focus());
  }

  private async prove(r: AuditRecord, button: HTMLButtonElement, out: HTMLElement): Promise<void> {
    button.disabled = true;
    out.replaceChildren(el('p', { class: 'muted' }, 'Fetching the inclusion proof…'));
    try {
      const p = await this.api.json<InclusionProof>(`${API}/proofs/inclusion/${encodeURIComponent(r.event.eventId)}`, { auth: this.auth });
      const h = p.treeHead;
      const fact = (term: string, value: string, cls?: string) => [el('dt', {}, term), el('dd', { class: cls }, value)];
      const path = p.path ?? [];
      out.replaceChildren(
        el('p', { class: 'ok' }, `Record #${r.seq} is in the signed log: leaf index ${count(p.leafIndex)} in a tree of ${count(h?.treeSize ?? p.treeSize)} records.`),
        el('dl', { class: 'facts', id: 'proof-facts' },
          ...fact('Tree size', count(h?.treeSize ?? p.treeSize)),
          ...fact('Root hash', h?.rootHash ?? 'not given', 'hash'),
          ...fact('Signed with key', h?.keyId ?? 'not given', 'id'),
          ...fact('Signed at', h?.timestamp !== undefined ? stamp(h.timestamp) : 'not given'),
          ...fact('Signature', h?.signature ?? 'not given', 'hash'),
          ...fact('Leaf hash', p.leafHash ?? 'not given', 'hash')),
        el('details', { class: 'raw' }, el('summary', {}, `Audit path (${path.length} hash${path.length === 1 ? '' : 'es'})`),
          el('ol', { class: 'path' }, ...path.map((x) => el('li', { class: 'hash' }, String(x))))),
        el('p', { class: 'muted' }, 'The page shows the proof as the service gave it; the offline check (below) verifies signatures and paths.'));
      this.say(`Inclusion proof for record #${r.seq} shown.`);
      if (h && typeof h.treeSize === 'number' && (!this.head || h.treeSize > this.head.treeSize)) this.showHead(h);
    } catch (e) {
      const words = (e as any)?.status === 404
        ? 'There is no inclusion proof for this record yet: it may be newer than the latest signed checkpoint. Please try again in a minute.'
        : complianceError(e, 'The inclusion proof cannot be loaded.');
      out.replaceChildren(el('p', { class: 'form-error' }, words));
    } finally {
      button.disabled = false;
    }
  }

  // ---- chain check ----

  private verifyCard(): HTMLElement {
    const result = el('div', { class: 'verify-result', id: 'verify-result', role: 'status', 'aria-live': 'polite' });
    const progress = el('div', { class: 'verify-progress', id: 'verify-progress', hidden: true },
      el('progress', { 'aria-label': 'Checking the chain' }), el('span', {}, ''));
    const card = el('section', { class: 'card', id: 'verify', 'aria-labelledby': 'verify-h' },
      el('h2', { id: 'verify-h' }, 'Verify the chain'),
      el('p', { class: 'muted' }, 'Recomputes every record\'s hash and its link to the one before, and compares the log with the latest signed checkpoint. On a large log this takes a while.'));
    const go = el('button', { type: 'button', class: 'primary', id: 'verify-run', onclick: () => void this.verify(card, go, progress, result) }, 'Verify the chain');
    card.append(el('div', { class: 'buttons' }, go), progress, result);
    return card;
  }

  private async verify(card: HTMLElement, go: HTMLButtonElement, progress: HTMLElement, result: HTMLElement): Promise<void> {
    go.disabled = true;
    card.setAttribute('aria-busy', 'true');
    progress.hidden = false;
    result.className = 'verify-result';
    result.replaceChildren(el('p', {}, 'Checking every record…'));
    const t0 = Date.now();
    const words = progress.querySelector('span')!;
    const tick = () => setText(words, `Checking every record… ${Math.floor((Date.now() - t0) / 1000)} s`);
    tick();
    const timer = window.setInterval(tick, 1000);
    try {
      const v = verifyWords(await this.api.json<VerifyResult>(`${API}/verify`, { auth: this.auth }));
      result.className = `verify-result ${v.ok ? 'ok' : 'broken'}`;
      result.replaceChildren(el('p', { class: 'headline' }, v.headline), ...v.lines.map((l) => el('p', {}, l)));
    } catch (e) {
      result.className = 'verify-result';
      result.replaceChildren(el('p', { class: 'form-error' }, complianceError(e, 'The chain check could not run.')));
    } finally {
      window.clearInterval(timer);
      progress.hidden = true;
      card.removeAttribute('aria-busy');
      go.disabled = false;
    }
  }

  // ---- export, keys, offline check ----

  private exportCard(): HTMLElement {
    this.exportFilters = el('p', { id: 'export-filters' }, 'Records matching: all records.');
    this.exportStatus = el('p', { class: 'export-status', id: 'export-status', role: 'status', 'aria-live': 'polite' });
    const ndjson = el('button', { type: 'button', class: 'primary', id: 'export-ndjson', onclick: () => void this.export('ndjson', ndjson) }, 'Download NDJSON');
    const csv = el('button', { type: 'button', id: 'export-csv', onclick: () => void this.export('csv', csv) }, 'Download CSV');
    this.keyList = el('ul', { class: 'list keys', id: 'key-list', 'aria-label': 'Signing keys' }, el('li', { class: 'muted' }, 'Loading the signing keys…'));
    this.checkpoint = el('div', { id: 'checkpoint' }, el('p', { class: 'muted' }, 'Loading the latest signed checkpoint…'));
    const command = el('code', { id: 'offline-command' }, OFFLINE_COMMAND);
    const copied = el('span', { class: 'muted', role: 'status', 'aria-live': 'polite' });
    const copy = el('button', { type: 'button', id: 'copy-command', onclick: () => {
      void navigator.clipboard?.writeText(OFFLINE_COMMAND).then(() => setText(copied, 'Copied.'), () => setText(copied, 'Select the command and copy it.'));
    } }, 'Copy command');
    return el('section', { class: 'card', id: 'export', 'aria-labelledby': 'export-h' },
      el('h2', { id: 'export-h' }, 'Export and offline check'),
      el('p', { class: 'muted' }, 'The export holds every record matching the last search (all pages, not only those shown), with its hashes and the signed checkpoint, so that it can be checked without this service.'),
      this.exportFilters,
      el('div', { class: 'buttons' }, ndjson, csv),
      this.exportStatus,
      el('h3', {}, 'Signing keys'),
      this.keyList,
      el('h3', {}, 'Latest signed checkpoint'),
      this.checkpoint,
      el('h3', {}, 'Check an export offline'),
      el('p', {}, 'With the NDJSON export and the public key in the SecureChat folder, run:'),
      el('pre', { class: 'command' }, command),
      el('div', { class: 'buttons' }, copy, copied));
  }

  private async export(format: 'ndjson' | 'csv', button: HTMLButtonElement): Promise<void> {
    const q = new URLSearchParams(this.filters);
    q.set('format', format);
    button.disabled = true;
    setText(this.exportStatus, `Preparing the ${format.toUpperCase()} export…`);
    try {
      const { blob, name } = await this.fetchFile(`${API}/export?${q}`, `audit-export.${format}`);
      saveBlob(blob, name);
      setText(this.exportStatus, `Downloaded ${name} (${sizeWords(blob.size)}).`);
    } catch (e) {
      setText(this.exportStatus, complianceError(e, 'The export cannot be made.'));
      if ((e as any)?.status === 403 || (e as any)?.status === 401) this.fail(complianceError(e));
    } finally {
      button.disabled = false;
    }
  }

  /** A file from the API: fetched with the token (a plain link cannot carry it), as a Blob. */
  private async fetchFile(path: string, fallbackName: string): Promise<{ blob: Blob; name: string }> {
    let res: Response;
    try {
      res = await fetch(path, {
        headers: { Authorization: `Bearer ${this.oidc.accessToken ?? ''}` },
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network', 'The service cannot be reached. Check your connection.');
    }
    if (!res.ok) {
      let data: any = null;
      try {
        data = JSON.parse(await res.text());
      } catch {
        data = null;
      }
      throw new ApiError(res.status, data?.code ?? 'error', data?.message ?? `Request failed (${res.status}).`);
    }
    return { blob: await res.blob(), name: dispositionName(res.headers.get('Content-Disposition'), fallbackName) };
  }

  private async loadKeys(): Promise<void> {
    const [keys, head] = await Promise.allSettled([
      this.api.json<{ keys?: SigningKey[] }>(`${API}/keys`, { auth: this.auth }),
      this.api.json<TreeHead>(`${API}/checkpoints/latest`, { auth: this.auth }),
    ]);
    if (head.status === 'fulfilled' && head.value) {
      this.showHead(head.value);
    } else {
      const e = head.status === 'rejected' ? head.reason : undefined;
      this.checkpoint.replaceChildren(el('p', { class: 'muted' }, (e as any)?.status === 404
        ? 'No checkpoint has been signed yet.' : complianceError(e, 'The latest checkpoint cannot be loaded.')));
    }
    if (keys.status === 'fulfilled') {
      this.keys = (keys.value?.keys ?? []).filter((k) => k && typeof k.publicKey === 'string' && typeof k.keyId === 'string');
      this.drawKeys();
    } else {
      this.keyList.replaceChildren(el('li', { class: 'muted' }, complianceError(keys.reason, 'The signing keys cannot be loaded.')));
    }
  }

  /** The latest signed tree head (loaded at the start; a newer one from a proof replaces it). */
  private showHead(h: TreeHead): void {
    this.head = h;
    const fact = (term: string, value: string, cls?: string) => [el('dt', {}, term), el('dd', { class: cls }, value)];
    this.checkpoint.replaceChildren(el('dl', { class: 'facts' },
      ...fact('Tree size', `${count(h.treeSize)} records`),
      ...fact('Root hash', h.rootHash ?? '', 'hash'),
      ...fact('Signed with key', h.keyId ?? '', 'id'),
      ...fact('Signed at', stamp(h.timestamp))));
    if (this.keys.length) this.drawKeys();
  }

  private drawKeys(): void {
    // The key that signed the latest checkpoint is "audit-signing.pub", as in the command.
    const current = this.keys.find((k) => k.keyId === this.head?.keyId) ?? this.keys[this.keys.length - 1];
    const items = this.keys.map((k) => {
      const name = k === current ? 'audit-signing.pub' : `audit-signing-${k.keyId.replace(/[^A-Za-z0-9._-]/g, '_')}.pub`;
      return el('li', { 'data-key': k.keyId },
        el('div', { class: 'info' },
          el('span', {}, el('span', { class: 'id' }, k.keyId), ` ${k.algorithm ?? ''}`, k === current ? el('span', { class: 'tag' }, 'current') : null),
          el('span', { class: 'muted id', title: k.publicKey }, shortId(k.publicKey, 24))),
        el('button', { type: 'button', class: k === current ? 'key-download current' : 'key-download', 'aria-label': `Download public key ${k.keyId} as ${name}`,
          onclick: () => this.downloadKey(k, name) }, 'Download public key'));
    });
    if (!items.length) items.push(el('li', { class: 'muted' }, 'No signing key is published yet.'));
    this.keyList.replaceChildren(...items);
  }

  private downloadKey(k: SigningKey, name: string): void {
    try {
      saveBlob(new Blob([publicKeyFile(k.publicKey)], { type: 'text/plain' }), name);
      setText(this.exportStatus, `Downloaded ${name} (key ${k.keyId}).`);
    } catch {
      setText(this.exportStatus, 'The public key is not in a form this page can save.');
    }
  }
}

/** Hands a Blob to the browser as a download (an object URL, released after a while). */
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  window.setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 60_000);
}
