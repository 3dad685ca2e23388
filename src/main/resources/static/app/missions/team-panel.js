// A team's (mode 4) mission: the preflight's checks, the team fusion assembled (each member's role,
// confidence and the evidence that seated it), each member's live state and current task from the
// status route, the tasks delegated to each member, and the mission's notifications. Everything is
// set as text.
import { h, clear } from '../dom.js';

const CHECK_LABEL = { passed: 'Passed', warning: 'Warning', failed: 'Failed' };
const MEMBER_LABEL = {
  assigned: 'Assigned', working: 'Working', waiting_for_human: 'Waiting for you', completed: 'Delivered',
  failed: 'Not delivered', paused: 'Paused', stopped: 'Stopped', unavailable: 'Unavailable',
  planning: 'Planning', coordinating: 'Coordinating', synthesising: 'Writing the report',
};

/** The preflight's checks as a list; a failed check's detail says what to change. */
export function renderChecks(list, checks) {
  clear(list);
  for (const c of checks ?? []) {
    list.append(h('li', { class: 'preflight-check', dataset: { status: c.status } },
      h('span', { class: 'badge check-status' }, CHECK_LABEL[c.status] ?? c.status), ' ',
      h('strong', {}, c.name ?? c.id), c.detail ? h('span', { class: 'check-detail' }, ` ${c.detail}`) : null));
  }
}

/** What put a member on the team, in one line: fusion's reason, ranks per source, scores, graph path. */
export function evidenceSummary(evidence) {
  if (!evidence || typeof evidence !== 'object') return '';
  const parts = [];
  if (evidence.reason) parts.push(String(evidence.reason));
  if (evidence.ranks && typeof evidence.ranks === 'object') {
    const ranks = Object.entries(evidence.ranks).filter(([, r]) => r !== null && r !== undefined).map(([source, r]) => `${source} #${r}`);
    if (ranks.length) parts.push(`ranked ${ranks.join(', ')}`);
  }
  if (typeof evidence.fused_score === 'number') parts.push(`fused score ${evidence.fused_score}`);
  if (Array.isArray(evidence.graph_path) && evidence.graph_path.length) parts.push(`graph: ${evidence.graph_path.join(' → ')}`);
  if (typeof evidence.synergy_boost === 'number' && evidence.synergy_boost > 0) parts.push(`synergy +${evidence.synergy_boost}`);
  const shown = new Set(['reason', 'ranks', 'fused_score', 'graph_path', 'synergy_boost', 'fusion_role', 'scores']);
  for (const [key, value] of Object.entries(evidence)) {
    if (shown.has(key) || value === null || typeof value === 'object') continue;
    parts.push(`${key.replaceAll('_', ' ')} ${value}`);
  }
  return parts.join(' · ');
}

export class TeamPanel {
  constructor() {
    this.members = new Map(); // agent id → { element, status, task, delegations, keys[] }
    this.checks = h('ol', { class: 'preflight-checks' });
    this.checksStatus = h('p', { class: 'hint' });
    this.preflightBox = h('section', { class: 'card preflight', 'aria-label': 'Preflight', hidden: true },
      h('h3', {}, 'Preflight'), this.checksStatus, this.checks);
    this.list = h('ul', { class: 'team-members' });
    this.teamHint = h('p', { class: 'hint' });
    this.teamBox = h('section', { class: 'card team', 'aria-label': 'Team', hidden: true },
      h('h3', {}, 'Team'), this.teamHint, this.list);
    this.notices = h('ul', { class: 'notifications' });
    this.noticesBox = h('section', { class: 'card notifications-box', 'aria-label': 'Notifications', hidden: true },
      h('h3', {}, 'Notifications'), this.notices);
    this.element = h('div', { class: 'team-panel' }, this.preflightBox, this.teamBox, this.noticesBox);
  }

  preflight(data) {
    this.preflightBox.hidden = false;
    this.preflightBox.dataset.status = data.status ?? '';
    this.checksStatus.textContent = data.status === 'failed'
      ? 'The preflight failed: the mission did not start. Change what the failed check names and start a new mission.'
      : 'The preflight passed: the mission was queued.';
    renderChecks(this.checks, data.checks);
  }

  /** The team_assembly event: the members in order, the lead first. */
  team(data) {
    this.teamBox.hidden = false;
    const team = data.team ?? [];
    this.teamHint.textContent = `${team.length} member${team.length === 1 ? '' : 's'}${data.assembly_time_ms !== undefined ? `, assembled in ${data.assembly_time_ms} ms` : ''}.`;
    for (const m of team) this.member(m.id, m);
  }

  /** team_status from GET /mode4/mission/{id}/status: each member's state and current task. */
  status(teamStatus) {
    if (!teamStatus?.length) return;
    this.teamBox.hidden = false;
    for (const s of teamStatus) {
      const row = this.member(s.agent_id, { name: s.name, role: s.role });
      row.status.textContent = MEMBER_LABEL[s.status] ?? s.status;
      row.element.dataset.status = s.status;
      row.task.textContent = s.current_task ? `Task: ${s.current_task}` : '';
    }
  }

  /** A delegation event goes under the member it names (by name, slug or id). */
  delegation(data) {
    const to = String(data.to ?? '').toLowerCase();
    for (const row of this.members.values()) {
      if (row.keys.includes(to)) {
        row.delegationsBox.hidden = false;
        row.delegations.append(h('li', {}, data.task ?? ''));
        return;
      }
    }
  }

  notification(data) {
    this.noticesBox.hidden = false;
    this.notices.append(h('li', { dataset: { type: data.type ?? '' } },
      h('strong', {}, data.title ?? data.type ?? 'Notification'), data.message ? ` ${data.message}` : ''));
  }

  member(id, m) {
    let row = this.members.get(id);
    if (!row) {
      const name = h('strong', { class: 'member-name' });
      const role = h('span', { class: 'badge member-role' });
      const status = h('span', { class: 'badge member-status' }, 'Assigned');
      const meta = h('span', { class: 'hint member-meta' });
      const evidence = h('p', { class: 'hint member-evidence' });
      const task = h('p', { class: 'member-task' });
      const delegations = h('ul', { class: 'member-delegations' });
      const delegationsBox = h('div', { hidden: true }, h('span', { class: 'hint' }, 'Delegated:'), delegations);
      const element = h('li', { class: 'team-member', dataset: { agent: id, status: 'assigned' } },
        h('div', { class: 'member-head' }, name, ' ', role, ' ', status, ' ', meta), evidence, task, delegationsBox);
      row = { element, name, role, status, meta, evidence, task, delegations, delegationsBox, keys: [String(id).toLowerCase()] };
      this.members.set(id, row);
      this.list.append(element);
    }
    if (m.name) {
      row.name.textContent = m.name;
      row.keys.push(m.name.toLowerCase());
    }
    if (m.slug) row.keys.push(m.slug.toLowerCase());
    if (m.role) row.role.textContent = m.role;
    if (m.confidence !== undefined) row.meta.textContent = `confidence ${m.confidence}%${m.origin ? ` · ${m.origin}` : ''}`;
    if (m.evidence) row.evidence.textContent = evidenceSummary(m.evidence);
    return row;
  }
}
