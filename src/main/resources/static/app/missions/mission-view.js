// One mission, live: status, progress and budget, the plan with each step's state, pending
// checkpoints as cards that take a decision, pause/resume/cancel, the events as they come,
// the artifacts to download and the report rendered as sanitised Markdown. The status route is
// the truth for everything but the event log; events only tell the view when to read it again.
// A team's mission (mode 4) adds its preflight, its team with each member's state, the tasks
// delegated to each member and its notifications (TeamPanel), and reads mode 4's status route.
import { api, BASE, describe } from '../api.js';
import { h, clear, announce, formatDate, debounce } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import { MissionFollower } from './follower.js';
import { CheckpointCard } from './checkpoint-card.js';
import { describeEvent, money } from './events.js';
import { TeamPanel } from './team-panel.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const STATUS_LABEL = {
  created: 'Created', queued: 'Queued', running: 'Running', waiting_for_human: 'Waiting for you',
  paused: 'Paused', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled',
};
const REFRESH_ON = new Set(['mission_started', 'plan', 'step_started', 'step_completed', 'checkpoint', 'artifact',
  'cost', 'mission_completed', 'done', 'error', 'cancelled']);
// A team's members change state on these too (team_status).
const TEAM_REFRESH_ON = new Set(['team_assembly', 'delegation', 'step_progress', 'notification']);

export class MissionView {
  constructor(missionId, { onChanged } = {}) {
    this.id = missionId;
    this.onChanged = onChanged ?? (() => {});
    this.cards = new Map();
    this.reportShown = null;
    this.follower = null;
    this.mode = null;
    this.team = null;
    this.teamSlot = h('div', { class: 'team-slot' });

    this.title = h('h2', { id: `mission-title-${missionId}` }, 'Mission');
    this.statusBadge = h('span', { class: 'badge mission-status', dataset: { status: '' } });
    this.meta = h('p', { class: 'hint' });
    this.goal = h('p', { class: 'mission-goal' });
    this.progress = h('progress', { max: 100, value: 0, 'aria-label': 'Mission progress' });
    this.progressText = h('span', { class: 'hint' });
    this.budgetMeter = h('meter', { min: 0, max: 1, value: 0, low: 0.6, high: 0.8, optimum: 0, 'aria-label': 'Budget used' });
    this.budgetText = h('span', { class: 'budget-text' });
    this.offline = h('p', { class: 'hint', hidden: true },
      'Offline: no language model is configured, so the plan, research and report are built deterministically from the knowledge base.');
    this.error = h('p', { class: 'error', role: 'alert' });
    this.pauseButton = h('button', { type: 'button', onclick: () => this.control('pause') }, 'Pause');
    this.resumeButton = h('button', { type: 'button', onclick: () => this.control('resume') }, 'Resume');
    this.cancelButton = h('button', { type: 'button', class: 'danger', onclick: () => this.control('cancel') }, 'Cancel mission');
    this.controlStatus = h('p', { class: 'hint', role: 'status' });
    this.plan = h('ol', { class: 'plan-steps' });
    this.planBox = h('section', { class: 'card plan', 'aria-label': 'Plan', hidden: true }, h('h3', {}, 'Plan'), this.plan);
    this.checkpoints = h('div', { class: 'checkpoints' });
    this.log = h('ol', { class: 'mission-log' });
    this.connection = h('p', { class: 'hint', role: 'status' });
    this.artifacts = h('ul', { class: 'artifact-list' });
    this.artifactsBox = h('section', { class: 'card artifacts', 'aria-label': 'Artifacts', hidden: true },
      h('h3', {}, 'Artifacts'), this.artifacts);
    this.report = h('div', { class: 'markdown report' });
    this.reportBox = h('section', { class: 'card report-box', 'aria-label': 'Report', hidden: true },
      h('h3', {}, 'Report'), this.report);

    this.element = h('article', { class: 'mission-view', 'aria-labelledby': this.title.id, 'aria-busy': 'true' },
      h('header', { class: 'mission-head' }, this.title, this.statusBadge, this.meta),
      this.goal, this.offline,
      h('div', { class: 'mission-gauges' },
        h('div', {}, h('span', { class: 'gauge-label' }, 'Progress '), this.progress, ' ', this.progressText),
        h('div', {}, h('span', { class: 'gauge-label' }, 'Budget '), this.budgetMeter, ' ', this.budgetText)),
      h('div', { class: 'actions mission-controls' }, this.pauseButton, this.resumeButton, this.cancelButton),
      this.controlStatus, this.error, this.checkpoints, this.teamSlot, this.planBox, this.reportBox, this.artifactsBox,
      h('details', { class: 'card events', open: true }, h('summary', {}, 'Events'), this.connection,
        h('div', { role: 'log', 'aria-label': 'Mission events' }, this.log)));
    // Status reads are rate limited (120 a minute by default): at most one a second, after the events settle.
    this.refresh = debounce(() => this.load(), 1000);
  }

  /** Reads the status, then follows the stream unless the mission has already ended. */
  async start() {
    const status = await this.load();
    if (status && !TERMINAL.has(status.status)) this.follow();
    // An ended team's mission replays its events once: they alone carry the preflight and the team's evidence.
    else if (status && this.mode === 4) this.follow(true);
    else this.element.setAttribute('aria-busy', 'false');
  }

  follow(ended = false) {
    this.follower?.detach();
    this.follower = new MissionFollower(this.id, {
      mode: this.mode,
      onEvent: (event) => this.handle(event),
      onReconnect: (lastId) => { this.connection.textContent = `Connection lost after event ${lastId}; reconnecting…`; },
      onEnd: (terminal, error) => {
        this.element.setAttribute('aria-busy', 'false');
        if (error && !ended) this.connection.textContent = `The live stream stopped: ${describe(error)} The mission goes on; reopen it to see where it is.`;
        if (!ended) this.load();
      },
    });
    this.follower.start();
  }

  handle(event) {
    this.connection.textContent = '';
    const line = describeEvent(event);
    if (line) {
      this.log.append(h('li', { dataset: { event: event.name } }, h('span', { class: 'event-name' }, event.name), ' ', line));
      if (this.log.children.length > 500) this.log.firstElementChild.remove();
    }
    if (event.name === 'checkpoint') announce(`Checkpoint: ${event.data.title ?? event.data.question ?? 'a decision is needed'}`);
    if (event.name === 'mission_completed') announce('Mission completed');
    if (this.team) {
      if (event.name === 'preflight') this.team.preflight(event.data);
      else if (event.name === 'team_assembly') this.team.team(event.data);
      else if (event.name === 'delegation') this.team.delegation(event.data);
      else if (event.name === 'notification') {
        this.team.notification(event.data);
        announce(`${event.data.title ?? 'Notification'}: ${event.data.message ?? ''}`);
      }
    }
    if (REFRESH_ON.has(event.name) || (this.team && TEAM_REFRESH_ON.has(event.name))) this.refresh();
  }

  async load() {
    try {
      // The first read learns the mode; a team's mission then reads mode 4's status, which adds team_status.
      const path = this.mode === 4 ? `${BASE}/mode4/mission/${encodeURIComponent(this.id)}/status`
        : `${BASE}/mission/status/${encodeURIComponent(this.id)}`;
      const s = await api(path);
      if (this.mode === null) this.mode = Number(s.mode) === 4 ? 4 : 3;
      if (this.mode === 4 && !this.team) {
        this.team = new TeamPanel();
        this.teamSlot.append(this.team.element);
      }
      this.render(s);
      if (this.team && s.team_status) this.team.status(s.team_status);
      return s;
    } catch (e) {
      if (e.code === 'RATE_LIMIT_EXCEEDED') {
        // Read again when allowed; the view stays as it was meanwhile.
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.load(), 1000 * Number(e.retryAfter ?? 5));
        return this.status ?? null;
      }
      this.error.textContent = describe(e);
      return null;
    }
  }

  render(s) {
    this.status = s;
    this.title.textContent = s.title || s.goal?.slice(0, 80) || 'Mission';
    this.statusBadge.textContent = STATUS_LABEL[s.status] ?? s.status;
    this.statusBadge.dataset.status = s.status;
    this.meta.textContent = `Mode ${s.mode} · ${s.agent?.name ?? ''} · started ${formatDate(s.created_at)} · ${s.mission_id}`;
    this.goal.textContent = s.goal ?? '';
    this.offline.hidden = !s.offline;
    this.progress.value = s.progress ?? 0;
    this.progressText.textContent = `${s.progress ?? 0}%${s.current_step ? ` · ${s.current_step.name}` : ''}`;
    const limit = Number(s.budget?.limit_usd ?? 0);
    const used = Number(s.budget?.spent_usd ?? 0) + Number(s.budget?.reserved_usd ?? 0);
    this.budgetMeter.value = limit > 0 ? Math.min(used / limit, 1) : 0;
    this.budgetText.textContent = `${money(s.budget?.spent_usd)} spent${Number(s.budget?.reserved_usd) ? `, ${money(s.budget.reserved_usd)} reserved` : ''} of ${money(limit)}`;
    this.error.textContent = s.error ? `${s.error.message} (${s.error.code})` : '';
    this.pauseButton.disabled = !['queued', 'running', 'waiting_for_human'].includes(s.status);
    this.resumeButton.disabled = s.status !== 'paused';
    this.cancelButton.disabled = TERMINAL.has(s.status);
    this.renderPlan(s.plan?.steps ?? []);
    // A mission that has ended takes no decision, whatever its checkpoint records still say.
    this.renderCheckpoints(TERMINAL.has(s.status) ? [] : s.pending_checkpoints ?? []);
    this.renderArtifacts(s.artifacts ?? []);
    if (TERMINAL.has(s.status)) this.element.setAttribute('aria-busy', 'false');
    this.onChanged(s);
  }

  renderPlan(steps) {
    this.planBox.hidden = steps.length === 0;
    clear(this.plan);
    for (const step of steps) {
      this.plan.append(h('li', { class: 'plan-step', dataset: { status: step.status ?? 'pending' } },
        h('span', { class: 'badge step-status' }, step.status ?? 'pending'), ' ',
        h('strong', {}, step.name ?? step.id),
        step.description ? h('span', { class: 'hint' }, ` ${step.description}`) : null));
    }
  }

  renderCheckpoints(pending) {
    const ids = new Set(pending.map((c) => c.id));
    for (const [id, card] of this.cards) {
      if (!ids.has(id)) {
        card.dispose();
        this.cards.delete(id);
      }
    }
    for (const c of pending) {
      if (this.cards.has(c.id)) continue;
      const card = new CheckpointCard(c, { mode: this.mode, onDecided: () => this.load() });
      this.cards.set(c.id, card);
      this.checkpoints.append(card.element);
    }
  }

  renderArtifacts(artifacts) {
    this.artifactsBox.hidden = artifacts.length === 0;
    clear(this.artifacts);
    for (const a of artifacts) {
      const name = `${(a.title || a.type || 'artifact').replace(/[^\w.-]+/g, '-').slice(0, 60)}.${a.format === 'markdown' || a.format === 'md' ? 'md' : 'txt'}`;
      this.artifacts.append(h('li', {},
        h('strong', {}, a.title || a.type), h('span', { class: 'hint' }, ` ${a.type} · ${a.format} `),
        h('a', { class: 'button download', href: a.download_url, download: name }, 'Download'),
        ' ', h('button', { type: 'button', class: 'ghost', onclick: () => this.showReport(a) }, 'Read')));
    }
    const report = artifacts.findLast((a) => a.type === 'report') ?? null;
    if (report && this.reportShown !== report.id) this.showReport(report);
  }

  async showReport(artifact) {
    this.reportShown = artifact.id;
    try {
      const response = await fetch(artifact.download_url, { credentials: 'same-origin', headers: { Accept: 'text/markdown, text/plain, */*' } });
      if (!response.ok) throw new Error(`The server answered ${response.status}`);
      const text = await response.text();
      clear(this.report).append(renderMarkdown(text));
      this.reportBox.hidden = false;
    } catch (e) {
      this.reportShown = null;
      this.error.textContent = `The report could not be read: ${e.message}`;
    }
  }

  async control(action) {
    const body = action === 'cancel' ? { reason: 'cancelled in the web app' } : {};
    if (action === 'cancel' && !window.confirm('Cancel this mission? It stops and cannot be resumed.')) return;
    this.controlStatus.textContent = `${action[0].toUpperCase()}${action.slice(1)}…`;
    try {
      if (this.mode === 4) {
        await api(`${BASE}/mission/${action}`, { method: 'POST', body: { ...body, mission_id: this.id, mode: 4 } });
      } else {
        await api(`${BASE}/mode3/mission/${encodeURIComponent(this.id)}/${action}`, { method: 'POST', body });
      }
      this.controlStatus.textContent = { pause: 'Paused.', resume: 'Resumed.', cancel: 'Cancelled.' }[action];
      const s = await this.load();
      if (action === 'resume' && s && !TERMINAL.has(s.status) && (!this.follower || this.follower.ended)) this.follow();
    } catch (e) {
      this.controlStatus.textContent = describe(e);
    }
  }

  unmount() {
    clearTimeout(this.retry);
    this.follower?.detach();
    for (const card of this.cards.values()) card.dispose();
  }
}
