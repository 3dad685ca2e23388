// Ask: modes 1 (you choose the expert) and 2 (fusion chooses a panel), streamed, stoppable and
// resumable; conversations listed beside it.
import { api, BASE, describe } from '../api.js';
import { h, clear, field, announce } from '../dom.js';
import { ExpertBrowser } from '../catalogue.js';
import { Conversations } from '../ask/conversations.js';
import { AnswerView } from '../ask/answer.js';
import { RunFollower, activeRun } from '../ask/runs.js';

export function mount(container, params) {
  const view = new AskView(container);
  view.start(params);
  return () => view.unmount();
}

class AskView {
  constructor(container) {
    this.sessionId = null;
    this.follower = null;
    this.mode = 1;
    this.stored = new Map();

    this.conversations = new Conversations({
      onOpen: (id) => this.open(id),
      onNew: () => this.newConversation(),
      onDeleted: (id) => { if (id === this.sessionId) this.newConversation(); },
    });
    this.browser = new ExpertBrowser({ legend: 'Expert' });
    this.maxExperts = h('select', { name: 'max_experts' }, [1, 2, 3, 4, 5].map((n) => h('option', { value: n, selected: n === 3 }, n)));
    this.autoBox = h('div', { class: 'auto-box', hidden: true },
      h('p', {}, 'The fusion engine reads your question, ranks the catalogue with three retrievers and seats a panel; the lead expert answers with the others\u2019 perspectives.'),
      field('Experts on the panel', this.maxExperts));
    const modeName = 'ask-mode';
    const modeRadio = (value, label) => {
      const input = h('input', { type: 'radio', name: modeName, value, id: `${modeName}-${value}`, checked: value === 1 });
      input.addEventListener('change', () => this.setMode(value));
      return h('span', { class: 'mode-option' }, input, h('label', { for: input.id }, label));
    };
    this.modeRadios = h('fieldset', { class: 'mode-switch' }, h('legend', {}, 'Who answers'),
      modeRadio(1, 'I choose the expert'), modeRadio(2, 'Choose for me (panel)'));
    this.chooser = h('details', { class: 'chooser', open: true }, h('summary', {}, 'Expert and mode'),
      this.modeRadios, this.browser.element, this.autoBox);

    this.transcript = h('div', { class: 'transcript' });
    this.question = h('textarea', { name: 'query', rows: 3, required: true, minlength: 5, maxlength: 10000,
      placeholder: 'Ask a question (5 to 10,000 characters)' });
    this.question.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.form.requestSubmit();
    });
    this.askButton = h('button', { type: 'submit', class: 'primary' }, 'Ask');
    this.stopButton = h('button', { type: 'button', class: 'danger', disabled: true, onclick: () => this.stop() }, 'Stop');
    this.formStatus = h('p', { class: 'error', role: 'alert' });
    this.form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.ask(); } },
      field('Your question', this.question, 'Ctrl+Enter sends.'), this.formStatus,
      h('div', { class: 'actions' }, this.askButton, this.stopButton));
    this.title = h('h1', {}, 'New conversation');
    container.append(h('div', { class: 'ask-layout' },
      h('details', { class: 'sidebar', open: matchMedia('(min-width: 60rem)').matches },
        h('summary', {}, 'Conversations'), this.conversations.element),
      h('section', { class: 'chat', 'aria-labelledby': 'ask-title' },
        Object.assign(this.title, { id: 'ask-title' }), this.chooser, this.transcript, this.form)));
  }

  async start(params) {
    this.conversations.refresh();
    const resume = activeRun();
    await this.browser.load(params.get('expert') ?? undefined);
    if (resume) {
      await this.open(resume.sessionId, true);
      this.follow(resume);
    } else if (params.get('session')) {
      await this.open(params.get('session'));
    }
  }

  setMode(mode) {
    this.mode = mode;
    this.browser.element.hidden = mode === 2;
    this.autoBox.hidden = mode !== 2;
    for (const r of this.modeRadios.querySelectorAll('input')) r.checked = Number(r.value) === mode;
  }

  newConversation() {
    if (this.follower && !this.follower.ended) this.follower.detach();
    this.sessionId = null;
    this.stored.clear();
    this.title.textContent = 'New conversation';
    clear(this.transcript);
    this.conversations.select(null);
    this.chooser.open = true;
    this.question.focus();
  }

  async open(sessionId, resuming = false) {
    if (!resuming && this.follower && !this.follower.ended) this.follower.detach();
    try {
      const s = await api(`${BASE}/sessions/${encodeURIComponent(sessionId)}`);
      this.sessionId = s.session_id;
      this.title.textContent = s.title || 'Conversation';
      this.setMode(s.mode === 2 ? 2 : 1);
      if (s.mode !== 2 && s.agent_id && this.browser.selected?.id !== s.agent_id) {
        this.browser.selected = null;
        this.browser.renderResults(s.agent_id);
      }
      clear(this.transcript);
      this.stored.clear();
      for (const m of s.messages ?? []) {
        if (m.role === 'user') this.transcript.append(userTurn(m.content));
        else {
          const answer = AnswerView.stored(m);
          this.stored.set(m.message_id, answer.element);
          this.transcript.append(answer.element);
        }
      }
      this.conversations.select(this.sessionId);
      this.chooser.open = false;
    } catch (e) {
      if (!resuming) this.formStatus.textContent = describe(e);
    }
  }

  async ask() {
    const query = this.question.value.trim();
    this.formStatus.textContent = '';
    if (query.length < 5) {
      this.formStatus.textContent = 'A question needs at least 5 characters.';
      this.question.focus();
      return;
    }
    if (this.mode === 1 && !this.browser.selected) {
      this.formStatus.textContent = 'Choose an expert first, or switch to “Choose for me”.';
      this.chooser.open = true;
      this.browser.query.focus();
      return;
    }
    const body = { query, options: { on_disconnect: 'continue' } };
    if (this.sessionId) body.session_id = this.sessionId;
    if (this.mode === 1) body.agent_id = this.browser.selected.slug ?? this.browser.selected.id;
    else Object.assign(body.options, { max_experts: Number(this.maxExperts.value), include_evidence: true });
    if (!this.sessionId) this.title.textContent = query.length > 80 ? `${query.slice(0, 79)}…` : query;
    this.transcript.append(userTurn(query));
    this.question.value = '';
    this.chooser.open = false;
    this.follow({ query, mode: this.mode }, `${BASE}/mode${this.mode}/stream`, body);
  }

  follow(run, path, body) {
    const answer = new AnswerView({ query: run.query, mode: run.mode });
    this.transcript.append(answer.element);
    this.askButton.disabled = true;
    this.stopButton.disabled = false;
    const follower = new RunFollower({
      context: { query: run.query },
      onEvent: (event) => {
        if (event.name === 'run' && event.data.session_id) this.sessionId = event.data.session_id;
        if (event.name === 'done' && this.stored.has(event.data.message_id)) {
          // The reloaded page had already listed this answer: the replay replaces it.
          this.stored.get(event.data.message_id).remove();
        }
        answer.handle(event);
      },
      onEnd: (terminal, error) => {
        if (error) answer.fail(describe(error));
        this.askButton.disabled = false;
        this.stopButton.disabled = true;
        announce(terminal?.name === 'done' ? 'Answer complete' : terminal?.name === 'cancelled' ? 'Answer stopped' : 'Answer failed');
        this.conversations.refresh();
        if (this.follower === follower) this.follower = null;
      },
    });
    this.follower = follower;
    if (path) follower.start(path, body);
    else follower.follow(run.runId, 0);
  }

  async stop() {
    this.stopButton.disabled = true;
    try {
      await this.follower?.stop();
    } catch (e) {
      this.formStatus.textContent = describe(e);
      this.stopButton.disabled = false;
    }
  }

  unmount() {
    this.follower?.detach();
  }
}

function userTurn(text) {
  return h('article', { class: 'turn user', 'aria-label': 'Your question' }, h('p', {}, text));
}
