// The caller's conversations: open one to continue it, rename, delete.
import { api, BASE, describe } from '../api.js';
import { h, clear, formatUsd, formatDate, announce } from '../dom.js';

export class Conversations {
  constructor({ onOpen, onNew, onDeleted }) {
    this.onOpen = onOpen;
    this.onDeleted = onDeleted;
    this.list = h('ul', { class: 'conversation-list' });
    this.status = h('p', { class: 'hint', role: 'status' });
    this.current = null;
    this.element = h('nav', { class: 'conversations', 'aria-labelledby': 'conversations-title' },
      h('div', { class: 'conversations-head' },
        h('h2', { id: 'conversations-title' }, 'Conversations'),
        h('button', { type: 'button', onclick: () => onNew() }, 'New')),
      this.status, this.list);
  }

  async refresh() {
    try {
      const page = await api(`${BASE}/sessions?limit=50`);
      this.render(page.sessions ?? []);
      this.status.textContent = page.total ? '' : 'No conversations yet: ask a first question.';
    } catch (e) {
      this.status.textContent = describe(e);
    }
  }

  select(sessionId) {
    this.current = sessionId;
    for (const item of this.list.querySelectorAll('li')) {
      const open = item.querySelector('.open');
      if (item.dataset.session === sessionId) open.setAttribute('aria-current', 'true');
      else open.removeAttribute('aria-current');
    }
  }

  render(sessions) {
    clear(this.list);
    for (const s of sessions) {
      const item = h('li', { dataset: { session: s.session_id } });
      const open = h('button', { type: 'button', class: 'open', onclick: () => this.onOpen(s.session_id) },
        h('span', { class: 'title' }, s.title || 'Untitled'),
        h('span', { class: 'hint' }, `Mode ${s.mode} · ${s.message_count} messages · ${formatUsd(s.total_cost_usd)} · ${formatDate(s.updated_at)}`));
      const rename = h('button', { type: 'button', class: 'ghost small', 'aria-label': `Rename “${s.title}”`,
        onclick: () => this.rename(item, s) }, 'Rename');
      const remove = h('button', { type: 'button', class: 'ghost small danger', 'aria-label': `Delete “${s.title}”`,
        onclick: () => this.remove(s) }, 'Delete');
      item.append(open, h('div', { class: 'row-actions' }, rename, remove));
      this.list.append(item);
    }
    if (this.current) this.select(this.current);
  }

  rename(item, s) {
    const input = h('input', { value: s.title, maxlength: 200, required: true, 'aria-label': 'New title' });
    const form = h('form', { class: 'rename', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api(`${BASE}/sessions/${encodeURIComponent(s.session_id)}`, { method: 'PATCH', body: { title: input.value } });
        announce('Conversation renamed');
        await this.refresh();
      } catch (err) {
        this.status.textContent = describe(err);
      }
    } }, input, h('button', { type: 'submit' }, 'Save'),
    h('button', { type: 'button', class: 'ghost', onclick: () => this.refresh() }, 'Cancel'));
    item.replaceChildren(form);
    input.focus();
    input.select();
  }

  async remove(s) {
    if (!window.confirm(`Delete the conversation “${s.title}” and its messages?`)) return;
    try {
      await api(`${BASE}/sessions/${encodeURIComponent(s.session_id)}`, { method: 'DELETE' });
      announce('Conversation deleted');
      this.onDeleted(s.session_id);
      await this.refresh();
    } catch (err) {
      this.status.textContent = describe(err);
    }
  }
}
