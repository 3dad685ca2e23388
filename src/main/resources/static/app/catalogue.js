// The expert catalogue as the picker and the Experts page show it: search, filters, cards.
import { api, BASE, describe } from './api.js';
import { h, clear, field, debounce, LEVELS, uid } from './dom.js';

export function expertCard(detail, extra) {
  const list = (label, items) => (items?.length
    ? [h('dt', {}, label), h('dd', {}, items.join(', '))] : []);
  return h('section', { class: 'expert-card card', 'aria-label': `Expert ${detail.display_name || detail.name}` },
    h('h3', {}, detail.display_name || detail.name),
    h('p', { class: 'hint' }, `${LEVELS[detail.level] ?? ''} · ${detail.slug} · ${detail.visibility ?? ''}`),
    h('p', { class: 'specialty' }, detail.specialty ?? ''),
    detail.description ? h('p', {}, detail.description) : null,
    h('dl', {},
      list('Domains', detail.domains),
      list('Capabilities', detail.capabilities),
      list('Knowledge', detail.knowledge_namespaces),
      list('Regions', detail.regions),
      detail.model ? [h('dt', {}, 'Model'), h('dd', {}, detail.model)] : []),
    extra ?? null);
}

/** Search and filters over GET /agents, results as a radio group, the chosen expert's card. */
export class ExpertBrowser {
  constructor({ onChoose, legend = 'Expert', cardExtra } = {}) {
    this.onChoose = onChoose;
    this.cardExtra = cardExtra;
    this.name = uid('expert');
    this.query = h('input', { type: 'search', autocomplete: 'off', placeholder: 'e.g. IND, pharmacovigilance' });
    this.level = h('select', {}, h('option', { value: '' }, 'Any level'),
      Object.entries(LEVELS).map(([n, label]) => h('option', { value: n }, label)));
    this.domain = h('select', {}, h('option', { value: '' }, 'Any domain'));
    this.results = h('div', { class: 'expert-results', role: 'radiogroup', 'aria-label': `${legend}: results` });
    this.status = h('p', { class: 'hint', role: 'status' });
    this.card = h('div', { class: 'card-slot' });
    const refresh = debounce(() => this.search(), 350);
    this.query.addEventListener('input', refresh);
    this.level.addEventListener('change', () => this.search());
    this.domain.addEventListener('change', () => this.search());
    this.element = h('fieldset', { class: 'expert-browser' },
      h('legend', {}, legend),
      h('div', { class: 'filters' },
        field('Search experts', this.query), field('Level', this.level), field('Domain', this.domain)),
      this.status, this.results, this.card);
    this.selected = null;
  }

  async load(selectId) {
    await this.search(selectId);
    const domains = new Set();
    for (const a of this.lastAgents ?? []) for (const d of a.domains ?? []) domains.add(d);
    for (const d of [...domains].sort()) this.domain.append(h('option', { value: d }, d));
  }

  async search(selectId) {
    const params = new URLSearchParams({ limit: '100' });
    if (this.query.value.trim()) params.set('q', this.query.value.trim());
    if (this.level.value) params.set('level', this.level.value);
    if (this.domain.value) params.set('domain', this.domain.value);
    this.status.textContent = 'Searching…';
    try {
      const page = await api(`${BASE}/agents?${params}`);
      this.lastAgents = page.agents ?? [];
      this.status.textContent = `${page.total} expert${page.total === 1 ? '' : 's'}${page.total > this.lastAgents.length ? `, first ${this.lastAgents.length} shown` : ''}`;
      this.renderResults(selectId ?? this.selected?.id);
    } catch (e) {
      this.status.textContent = describe(e);
    }
  }

  renderResults(selectedId) {
    clear(this.results);
    for (const a of this.lastAgents) {
      const radio = h('input', { type: 'radio', name: this.name, value: a.id, id: uid('agent'),
        checked: a.id === selectedId || a.slug === selectedId });
      radio.addEventListener('change', () => this.choose(a.id));
      this.results.append(h('div', { class: 'expert-option' }, radio,
        h('label', { for: radio.id }, h('strong', {}, a.display_name || a.name),
          h('span', { class: 'hint' }, ` ${LEVELS[a.level] ?? ''} · ${a.specialty ?? ''}`))));
    }
    if (selectedId && !this.selected) this.choose(selectedId);
  }

  async choose(id) {
    try {
      const detail = await api(`${BASE}/agents/${encodeURIComponent(id)}`);
      this.selected = detail;
      clear(this.card).append(expertCard(detail, this.cardExtra?.(detail)));
      this.onChoose?.(detail);
    } catch (e) {
      clear(this.card).append(h('p', { class: 'error', role: 'alert' }, describe(e)));
    }
  }
}
