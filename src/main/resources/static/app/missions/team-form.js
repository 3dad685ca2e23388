// The mission form's part for "Assemble a team for me" (mode 4): title, team size, priority and
// notification; and its preflight step: the mission is created, checked (POST /mode4/mission/{id}/preflight)
// and its checks shown; only a passed preflight can be started (the first stream starts it).
import { api, BASE, describe } from '../api.js';
import { h, field, uid } from '../dom.js';
import { money } from './events.js';
import { renderChecks } from './team-panel.js';

/** Whether this service offers mode 4: /mode4/health answers 503 "disabled" when FF_MODE4_ENABLED=false. */
export async function teamModeOffered() {
  try {
    const response = await fetch(`${BASE}/mode4/health`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    return body.status !== 'disabled';
  } catch {
    return false;
  }
}

export class TeamOptions {
  constructor() {
    this.title = h('input', { type: 'text', name: 'title', maxlength: 200, placeholder: 'e.g. Oncology trial readiness' });
    this.size = h('input', { type: 'number', name: 'max_team_size', min: '1', max: '6', step: '1', value: '4', required: true });
    this.priority = h('select', { name: 'priority' },
      h('option', { value: 'low' }, 'Low'), h('option', { value: 'normal', selected: true }, 'Normal'), h('option', { value: 'high' }, 'High'));
    this.notify = h('input', { type: 'checkbox', name: 'notify_on_completion', id: uid('notify') });
    this.element = h('fieldset', { class: 'team-options' }, h('legend', {}, 'The team'),
      h('p', { class: 'hint' }, 'Fusion picks the experts who fit the goal; the first leads, plans a task for each member and writes the report from their findings.'),
      field('Title (optional)', this.title, 'Up to 200 characters; shown in the history.'),
      h('div', { class: 'filters' }, field('Most experts on the team', this.size, '1 to 6.'), field('Priority', this.priority)),
      h('div', { class: 'mode-option' }, this.notify, h('label', { for: this.notify.id }, 'Notify me when it completes')));
  }

  /** The create body's title and options, or a message saying what to fix. */
  read(budget) {
    const size = Number(this.size.value);
    if (!Number.isInteger(size) || size < 1 || size > 6) return { problem: 'The team has 1 to 6 experts.', focus: this.size };
    return { title: this.title.value.trim() || undefined,
      options: { max_team_size: size, budget_limit_usd: budget, priority: this.priority.value, notify_on_completion: this.notify.checked } };
  }
}

/** The preflight's answer in the form: each check, the estimate, and Start (disabled when a check failed). */
export class PreflightBox {
  constructor({ onStart }) {
    this.checks = h('ol', { class: 'preflight-checks' });
    this.summary = h('p', { role: 'status' });
    this.start = h('button', { type: 'button', class: 'primary start-team', onclick: () => onStart(this.missionId) }, 'Start the team');
    this.element = h('section', { class: 'card preflight', 'aria-label': 'Preflight', hidden: true },
      h('h3', {}, 'Preflight'), this.summary, this.checks, h('div', { class: 'actions' }, this.start));
  }

  async run(missionId) {
    this.missionId = missionId;
    this.element.hidden = false;
    this.start.disabled = true;
    this.summary.textContent = 'Checking budget, tools, permissions and context…';
    try {
      const report = await api(`${BASE}/mode4/mission/${encodeURIComponent(missionId)}/preflight`, { method: 'POST' });
      renderChecks(this.checks, report.checks);
      this.element.dataset.status = report.preflight_passed ? 'passed' : 'failed';
      const estimate = `Estimated ${money(report.estimated_cost_usd)} and about ${Math.max(1, Math.round(report.estimated_duration_minutes ?? 0))} min.`;
      this.summary.textContent = report.preflight_passed
        ? `Preflight passed. ${estimate}`
        : `Preflight failed: change what the failed checks say, then create the mission again. ${estimate}`;
      this.start.disabled = !report.preflight_passed;
      if (report.preflight_passed) this.start.focus();
      return report.preflight_passed;
    } catch (e) {
      this.summary.textContent = describe(e);
      return false;
    }
  }

  hide() {
    this.element.hidden = true;
    this.missionId = null;
  }
}
