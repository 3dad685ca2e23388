// One assistant turn: the expert or panel, the reasoning steps (collapsible), the answer as it
// streams (sanitised Markdown, citations as numbered buttons), the sources, the cost.
import { h, clear, formatUsd, LEVELS } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import { FusionPanel } from './fusion-panel.js';
import { openPassage } from './passage-dialog.js';

export class AnswerView {
  constructor({ query, mode }) {
    this.text = '';
    this.sources = new Map();
    this.cited = new Set();
    this.query = query;
    this.mode = mode;
    this.who = h('p', { class: 'who-answers' }, mode === 2 ? 'Choosing a panel…' : 'Waiting for the expert…');
    this.progress = h('p', { class: 'progress hint', role: 'status' });
    this.panelSlot = h('div');
    this.steps = h('ol', { class: 'steps' });
    this.reasoning = h('details', { class: 'reasoning', hidden: true },
      h('summary', {}, 'Reasoning steps'), this.steps);
    this.body = h('div', { class: 'markdown answer-text', 'aria-live': 'off' });
    this.sourceList = h('ol', { class: 'sources' });
    this.sourcesBox = h('details', { class: 'sources-box', hidden: true },
      h('summary', {}, 'Sources'), this.sourceList);
    this.footer = h('p', { class: 'answer-footer' });
    this.element = h('article', { class: 'turn assistant', 'aria-label': 'Answer', 'aria-busy': 'true' },
      this.who, this.progress, this.panelSlot, this.reasoning, this.body, this.sourcesBox, this.footer);
    this.body.addEventListener('click', (e) => {
      const button = e.target.closest('button.cite');
      if (button) openPassage(this.sources.get(Number(button.dataset.cite)), button);
    });
    this.pending = false;
  }

  /** A stored answer (a conversation reopened): text, citations and cost, no stream. */
  static stored(message) {
    const view = new AnswerView({ mode: 1 });
    view.who.textContent = 'Answer';
    for (const c of message.citations ?? []) {
      if (c?.index) {
        view.sources.set(c.index, c);
        view.cited.add(c.index);
      }
    }
    view.text = message.content ?? '';
    view.render();
    view.renderSources();
    view.footer.textContent = `Cost ${formatUsd(message.cost)}`;
    view.element.setAttribute('aria-busy', 'false');
    view.messageId = message.message_id;
    return view;
  }

  handle({ name, data }) {
    switch (name) {
      case 'run':
        this.runId = data.run_id;
        break;
      case 'progress':
        this.progress.textContent = data.message ?? data.stage ?? '';
        break;
      case 'fusion':
        this.panel = new FusionPanel(data, this.query);
        clear(this.panelSlot).append(this.panel.element);
        this.who.textContent = `Panel of ${data.selectedExperts?.length ?? 0}: ${(data.selectedExperts ?? []).map((e) => e.name).join(', ')}`;
        break;
      case 'agent_selected':
        if (this.mode !== 2) {
          this.who.textContent = `${data.agent?.name ?? 'Expert'} · ${LEVELS[data.agent?.level] ?? ''} · ${data.agent?.specialty ?? ''}`;
        }
        break;
      case 'reasoning':
        this.reasoning.hidden = false;
        this.steps.append(h('li', {}, h('strong', {}, `${data.step}`), data.agent ? ` (${data.agent})` : '', `: ${data.content ?? ''}`));
        this.panel?.reason(data);
        break;
      case 'sources':
        for (const item of data.items ?? []) this.sources.set(item.index, item);
        this.renderSources();
        this.progress.textContent = 'Writing the answer…';
        break;
      case 'token':
        this.text += data.content ?? '';
        this.schedule();
        break;
      case 'citation':
        if (data.item?.index) {
          this.cited.add(data.item.index);
          this.sources.set(data.item.index, data.item);
        }
        this.renderSources();
        this.schedule();
        break;
      case 'cost':
        this.footer.textContent = `Cost ${formatUsd(data.estimatedCost)} · ${data.totalTokens ?? 0} tokens`;
        break;
      case 'done':
        this.messageId = data.message_id;
        this.finish(`Answered in ${((data.response_time_ms ?? 0) / 1000).toFixed(1)} s · cost ${formatUsd(data.cost)} · ${data.totalTokens ?? 0} tokens`);
        break;
      case 'cancelled':
        this.finish(`Stopped. Partial cost ${formatUsd(data.partial_cost)}`, 'stopped');
        break;
      case 'error':
        this.finish(`${data.message ?? 'The answer failed'}${data.recoverable ? ' You can ask again.' : ''}`, 'failed');
        break;
      default:
        break;
    }
  }

  fail(message) {
    this.finish(message, 'failed');
  }

  finish(footer, state = 'done') {
    this.progress.textContent = '';
    this.render();
    this.footer.textContent = footer;
    this.element.dataset.state = state;
    this.element.setAttribute('aria-busy', 'false');
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    // Only a number that names a passage of this answer becomes a link: a bare [7] stays text.
    const label = (n) => this.sources.get(n)?.title ?? null;
    clear(this.body).append(renderMarkdown(this.text, label));
  }

  renderSources() {
    clear(this.sourceList);
    const items = [...this.sources.values()].sort((a, b) => a.index - b.index);
    this.sourcesBox.hidden = items.length === 0;
    for (const s of items) {
      const open = h('button', { type: 'button', class: 'linklike', onclick: (e) => openPassage(s, e.currentTarget) },
        s.title || s.source || `Source ${s.index}`);
      this.sourceList.append(h('li', { value: s.index, class: this.cited.has(s.index) ? 'cited' : '' },
        open, this.cited.has(s.index) ? h('span', { class: 'badge' }, 'cited') : null,
        s.source ? h('span', { class: 'hint' }, ` · ${s.source}`) : null));
    }
  }
}
