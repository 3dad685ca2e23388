// Missions (modes 3 and 4): the history beside either the form that starts one (an expert of the
// user's choice, or a team fusion assembles) or the live view of the mission the address names
// (#/missions?id=…), so a reload or a reopened tab shows where it is.
import { api, BASE, describe } from '../api.js';
import { h, clear, field, formatDate, uid, append } from '../dom.js';
import { money } from '../missions/events.js';
import { ExpertBrowser } from '../catalogue.js';
import { MissionView } from '../missions/mission-view.js';
import { TeamOptions, PreflightBox, teamModeOffered } from '../missions/team-form.js';

const CHECKPOINT_TYPES = [
  ['plan_approval', 'Plan approval'], ['step_review', 'Each step'], ['critical_decision', 'Critical decisions'],
  ['external_action', 'External actions'], ['budget', 'Budget'], ['final_review', 'Final review'],
];

export function mount(container, params) {
  const page = new MissionsPage(container);
  page.start(params);
  return () => page.unmount();
}

class MissionsPage {
  constructor(container) {
    this.view = null;
    this.historyList = h('ul', { class: 'mission-list' });
    this.historyStatus = h('p', { class: 'hint', role: 'status' });
    this.content = h('div', { class: 'mission-content' });
    const newButton = h('button', { type: 'button', class: 'small', onclick: () => { location.hash = '#/missions'; } }, 'New');
    container.append(h('div', { class: 'page missions ask-layout' },
      h('details', { class: 'sidebar', open: matchMedia('(min-width: 60rem)').matches },
        h('summary', {}, 'Missions'),
        h('div', { class: 'conversations-head' }, h('h2', {}, 'History'), newButton),
        this.historyStatus, this.historyList),
      h('section', { class: 'missions-main', 'aria-labelledby': 'missions-title' },
        h('h1', { id: 'missions-title' }, 'Missions'), this.content)));
  }

  async start(params) {
    this.refreshHistory();
    const id = params.get('id');
    if (id) this.open(id);
    else this.showForm(params.get('expert'));
  }

  async refreshHistory(selected) {
    try {
      const page = await api(`${BASE}/mission/history?limit=50`);
      const missions = page.missions ?? [];
      const total = page.total ?? missions.length;
      this.historyStatus.textContent = missions.length ? `${total} mission${total === 1 ? '' : 's'}` : 'No missions yet.';
      clear(this.historyList);
      for (const m of missions) {
        const current = (selected ?? this.view?.id) === m.mission_id;
        this.historyList.append(h('li', {},
          h('a', { class: 'open', href: `#/missions?id=${encodeURIComponent(m.mission_id)}`, 'aria-current': current ? 'true' : null },
            h('span', { class: 'title' }, m.title || m.goal),
            h('span', { class: 'hint' }, `${m.status.replaceAll('_', ' ')} · ${Number(m.mode) === 4 ? 'team led by ' : ''}${m.agent?.name ?? ''} · ${money(m.total_cost_usd)} · ${formatDate(m.created_at)}`))));
      }
    } catch (e) {
      this.historyStatus.textContent = describe(e);
    }
  }

  showForm(expert) {
    this.view?.unmount();
    this.view = null;
    const browser = new ExpertBrowser({ legend: 'Expert who runs the mission' });
    const goal = h('textarea', { name: 'goal', rows: 4, required: true, minlength: 10, maxlength: 5000,
      placeholder: 'e.g. Compile the EU and US expedited reporting obligations for SUSARs into a cited brief' });
    const budget = h('input', { type: 'number', name: 'budget', min: '0.01', step: '0.01', value: '5.00', required: true });
    const maxSteps = h('input', { type: 'number', name: 'max_steps', min: '1', max: '50', step: '1', value: '10', required: true });
    const ask = h('input', { type: 'checkbox', name: 'require_checkpoints', checked: true, id: uid('ask') });
    const types = CHECKPOINT_TYPES.map(([value, label]) => {
      const input = h('input', { type: 'checkbox', name: 'checkpoint_types', value, checked: true, id: uid('cp') });
      return { input, element: h('span', { class: 'mode-option' }, input, h('label', { for: input.id }, label)) };
    });
    const typesBox = h('fieldset', { class: 'checkpoint-types' }, h('legend', {}, 'Ask me at'), types.map((t) => t.element));
    ask.addEventListener('change', () => {
      typesBox.disabled = !ask.checked;
    });
    const status = h('p', { class: 'error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Start mission');
    // Who runs it: an expert the user picks (mode 3), or a team fusion assembles (mode 4, when the service offers it).
    const team = new TeamOptions();
    const preflight = new PreflightBox({ onStart: (id) => { location.hash = `#/missions?id=${encodeURIComponent(id)}`; } });
    const choose = h('input', { type: 'radio', name: 'mission_mode', value: '3', checked: true, id: uid('mode') });
    const assemble = h('input', { type: 'radio', name: 'mission_mode', value: '4', id: uid('mode') });
    const modeBox = h('fieldset', { class: 'mission-mode', hidden: true }, h('legend', {}, 'Who runs the mission'),
      h('span', { class: 'mode-option' }, choose, h('label', { for: choose.id }, 'I choose the expert')), ' ',
      h('span', { class: 'mode-option' }, assemble, h('label', { for: assemble.id }, 'Assemble a team for me')));
    const expertPart = h('div', { class: 'expert-part' });
    let budgetEdited = false;
    budget.addEventListener('input', () => { budgetEdited = true; });
    const switchMode = () => {
      const teamMode = assemble.checked;
      expertPart.hidden = teamMode;
      team.element.hidden = !teamMode;
      if (!budgetEdited) budget.value = teamMode ? '10.00' : '5.00';
      submit.textContent = teamMode ? 'Check and create' : 'Start mission';
      preflight.hide();
    };
    choose.addEventListener('change', switchMode);
    assemble.addEventListener('change', switchMode);
    team.element.hidden = true;
    teamModeOffered().then((offered) => { modeBox.hidden = !offered; });
    const form = h('form', { class: 'mission-form card', onsubmit: async (e) => {
      e.preventDefault();
      status.textContent = '';
      const text = goal.value.trim();
      if (text.length < 10) {
        status.textContent = 'Describe the goal in at least 10 characters.';
        goal.focus();
        return;
      }
      if (assemble.checked) {
        await this.createTeamMission(text, team, Number(budget.value), { status, submit, preflight });
        return;
      }
      if (!browser.selected) {
        status.textContent = 'Choose the expert who runs the mission.';
        browser.query.focus();
        return;
      }
      const options = { budget_limit_usd: Number(budget.value), max_steps: Number(maxSteps.value), require_checkpoints: ask.checked };
      const chosen = types.filter((t) => t.input.checked).map((t) => t.input.value);
      if (ask.checked && chosen.length === 0) {
        status.textContent = 'Choose at least one kind of checkpoint, or untick “Ask me at checkpoints”.';
        return;
      }
      if (ask.checked && chosen.length < types.length) options.checkpoint_types = chosen;
      submit.disabled = true;
      try {
        const created = await api(`${BASE}/mode3/mission/create`, { method: 'POST',
          body: { goal: text, agent_id: browser.selected.slug ?? browser.selected.id, options } });
        location.hash = `#/missions?id=${encodeURIComponent(created.mission_id)}`;
      } catch (err) {
        status.textContent = describe(err);
        submit.disabled = false;
      }
    } },
    h('h2', {}, 'New mission'),
    h('p', { class: 'hint' }, 'The expert plans the work, researches with its tools and other experts, asks you at the checkpoints you choose, stays within the budget and writes a cited report. It goes on when you close the page.'),
    field('Goal', goal, '10 to 5,000 characters.'),
    modeBox,
    h('div', { class: 'filters' }, field('Budget (US dollars)', budget)),
    team.element,
    append(expertPart, [browser.element, h('div', { class: 'filters' }, field('Most steps', maxSteps)),
      h('div', { class: 'mode-option' }, ask, h('label', { for: ask.id }, 'Ask me at checkpoints')), typesBox]),
    status, h('div', { class: 'actions' }, submit), preflight.element);
    clear(this.content).append(form);
    browser.load(expert ?? undefined);
    this.refreshHistory(null);
  }

  /** Mode 4: create the mission (fusion assembles its team), then show its preflight; Start follows it. */
  async createTeamMission(goal, team, budget, { status, submit, preflight }) {
    const read = team.read(budget);
    if (read.problem) {
      status.textContent = read.problem;
      read.focus.focus();
      return;
    }
    submit.disabled = true;
    try {
      const created = await api(`${BASE}/mode4/mission/create`, { method: 'POST', body: { goal, title: read.title, options: read.options } });
      this.refreshHistory(null);
      await preflight.run(created.mission_id);
    } catch (err) {
      status.textContent = describe(err);
    } finally {
      submit.disabled = false;
    }
  }

  async open(id) {
    this.view?.unmount();
    this.view = new MissionView(id, { onChanged: (s) => this.historyChanged(s) });
    clear(this.content).append(this.view.element);
    this.refreshHistory(id);
    await this.view.start();
  }

  historyChanged(status) {
    clearTimeout(this.historyTimer);
    // A new state shows in the history at once; other changes (cost, progress) a moment later.
    const moved = status.status !== this.lastStatus;
    this.lastStatus = status.status;
    this.historyTimer = setTimeout(() => this.refreshHistory(), moved ? 0 : 1000);
  }

  unmount() {
    clearTimeout(this.historyTimer);
    this.view?.unmount();
  }
}
