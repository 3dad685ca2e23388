// A pending checkpoint as a card that asks for a decision: what the mission wants to do and why,
// its options, a comment box, approve / reject / modify (modify needs the comment, which the
// mission feeds into its next step) and a countdown to the timeout, when the default applies.
import { api, BASE, describe } from '../api.js';
import { h, uid } from '../dom.js';

const DECISIONS = new Set(['approve', 'reject', 'modify']);
const DEFAULT_ON_TIMEOUT = {
  budget: 'reject', plan_approval: 'approve', step_review: 'approve',
  critical_decision: 'reject', external_action: 'reject', final_review: 'approve',
};
const TYPE_LABEL = {
  budget: 'Budget', plan_approval: 'Plan approval', step_review: 'Step review',
  critical_decision: 'Critical decision', external_action: 'External action', final_review: 'Final review',
};

export class CheckpointCard {
  constructor(checkpoint, { onDecided, mode = 3 }) {
    this.checkpoint = checkpoint;
    this.mode = mode;
    this.onDecided = onDecided;
    const titleId = uid('checkpoint');
    this.comment = h('textarea', { rows: 2, maxlength: 5000, name: 'comment', placeholder: 'Optional for approve and reject; required for modify' });
    this.comment.id = uid('comment');
    this.status = h('p', { class: 'hint', role: 'status' });
    this.countdown = h('p', { class: 'countdown hint' });
    const optionsName = uid('option');
    // Options that are the decisions themselves (approve, modify, reject) are the buttons below.
    const extra = (checkpoint.options ?? []).filter((o) => !DECISIONS.has(String(o).trim().toLowerCase()));
    this.optionInputs = extra.map((option, i) => {
      const input = h('input', { type: 'radio', name: optionsName, value: option, id: `${optionsName}-${i}` });
      return { input, element: h('div', { class: 'checkpoint-option' }, input, h('label', { for: input.id }, option)) };
    });
    this.buttons = [
      h('button', { type: 'button', class: 'primary', onclick: () => this.decide('approve') }, 'Approve'),
      h('button', { type: 'button', onclick: () => this.decide('modify') }, 'Modify'),
      h('button', { type: 'button', class: 'danger', onclick: () => this.decide('reject') }, 'Reject'),
    ];
    this.element = h('section', { class: 'card checkpoint-card', 'aria-labelledby': titleId, dataset: { checkpointId: checkpoint.id, type: checkpoint.type } },
      h('h3', { id: titleId }, `${TYPE_LABEL[checkpoint.type] ?? checkpoint.type}: ${checkpoint.title || 'a decision is needed'}`),
      h('p', { class: 'hint' }, `Urgency ${checkpoint.urgency ?? 'normal'}`),
      checkpoint.question ? h('p', { class: 'checkpoint-question' }, checkpoint.question) : null,
      context(checkpoint.context, `${checkpoint.title ?? ''}\n${checkpoint.question ?? ''}`),
      this.optionInputs.length
        ? h('fieldset', {}, h('legend', {}, 'Options'), this.optionInputs.map((o) => o.element)) : null,
      h('div', { class: 'field' }, h('label', { for: this.comment.id }, 'Comment'), this.comment),
      h('div', { class: 'actions' }, this.buttons),
      this.countdown, this.status);
    this.tick();
    this.timer = setInterval(() => this.tick(), 1000);
  }

  tick() {
    const at = this.checkpoint.timeout_at ? new Date(this.checkpoint.timeout_at).getTime() : NaN;
    if (Number.isNaN(at)) {
      this.countdown.textContent = '';
      return;
    }
    const left = Math.max(0, Math.round((at - Date.now()) / 1000));
    const fallback = DEFAULT_ON_TIMEOUT[this.checkpoint.type] ?? 'the default';
    const hours = Math.floor(left / 3600);
    const minutes = Math.floor((left % 3600) / 60);
    const seconds = left % 60;
    const clock = `${hours ? `${hours} h ` : ''}${hours || minutes ? `${minutes} min ` : ''}${seconds} s`;
    this.countdown.textContent = left > 0
      ? `Without a decision in ${clock} it is decided for you: ${fallback}.`
      : `The time to decide has passed: ${fallback} applies.`;
  }

  async decide(decision) {
    const comment = this.comment.value.trim();
    if (decision === 'modify' && !comment) {
      this.status.textContent = 'Say in the comment what should change, then choose Modify.';
      this.comment.focus();
      return;
    }
    const option = this.optionInputs.find((o) => o.input.checked)?.input.value;
    const body = { decision, comment };
    if (option) body.option = option;
    for (const b of this.buttons) b.disabled = true;
    this.status.textContent = 'Sending your decision…';
    try {
      // A team's (mode 4) checkpoints are decided through the shared route, which names the mode.
      if (this.mode === 4) {
        await api(`${BASE}/mission/checkpoint/${encodeURIComponent(this.checkpoint.id)}`, { method: 'POST', body: { ...body, mode: 4 } });
      } else {
        await api(`${BASE}/mode3/checkpoint/${encodeURIComponent(this.checkpoint.id)}/approve`, { method: 'POST', body });
      }
      this.status.textContent = `Decision sent: ${decision}. The mission goes on.`;
      this.element.dataset.decided = decision;
      this.onDecided();
    } catch (e) {
      this.status.textContent = e.code === 'CHECKPOINT_ALREADY_RESOLVED' ? 'This checkpoint was already decided.' : describe(e);
      for (const b of this.buttons) b.disabled = false;
      if (e.code === 'CHECKPOINT_ALREADY_RESOLVED') this.onDecided();
    }
  }

  dispose() {
    clearInterval(this.timer);
    this.element.remove();
  }
}

/** The facts the question does not already say (a plan listed in the question is not listed twice). */
function context(value, said) {
  if (!value || typeof value !== 'object') return null;
  const shown = Object.entries(value).filter(([key, v]) => key !== 'goal' && v !== null && v !== '' && !alreadySaid(v, said));
  if (shown.length === 0) return null;
  const rows = shown.map(([key, v]) => [h('dt', {}, key.replaceAll('_', ' ')), h('dd', {}, render(v))]);
  return h('dl', { class: 'checkpoint-context' }, rows);
}

function alreadySaid(v, said) {
  if (Array.isArray(v)) return v.length > 0 && v.every((item) => said.includes(typeof item === 'object' && item !== null ? item.name ?? JSON.stringify(item) : String(item)));
  return typeof v === 'string' && said.includes(v);
}

function render(v) {
  if (Array.isArray(v)) {
    return h('ol', {}, v.map((item) => h('li', {}, typeof item === 'object' && item !== null
      ? [item.name ?? item.title ?? '', item.description ? ` — ${item.description}` : ''].join('') || JSON.stringify(item)
      : String(item))));
  }
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v ?? '');
}
