// Experts: browse the catalogue; admins import a YAML or JSON catalogue and edit an expert.
import { api, BASE, describe } from '../api.js';
import { session } from '../session.js';
import { h, clear, field, announce, LEVELS } from '../dom.js';
import { ExpertBrowser } from '../catalogue.js';

export function mount(container, params) {
  const editor = h('div', { class: 'editor-slot' });
  const browser = new ExpertBrowser({
    legend: 'Catalogue',
    cardExtra: (detail) => h('div', { class: 'actions' },
      h('a', { class: 'button', href: `#/ask?expert=${encodeURIComponent(detail.slug)}` }, 'Ask this expert'),
      session.admin ? h('button', { type: 'button', onclick: () => edit(editor, detail, () => {
        browser.search();
        browser.choose(detail.id);
      }) }, 'Edit') : null),
  });
  container.append(h('div', { class: 'page experts' },
    h('h1', {}, 'Experts'),
    session.admin ? importSection(() => browser.search()) : null,
    browser.element, editor));
  browser.load(params.get('expert') ?? undefined);
}

function importSection(onImported) {
  const file = h('input', { type: 'file', accept: '.yaml,.yml,.json,application/json,application/yaml,text/yaml', required: true });
  const status = h('div', { class: 'import-status', role: 'status' });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    status.textContent = `Importing ${f.name}…`;
    try {
      const text = await f.text();
      const json = f.name.toLowerCase().endsWith('.json');
      const report = await api(`${BASE}/agents`, json ? { method: 'POST', body: JSON.parse(text) }
        : { method: 'POST', body: new Blob([text], { type: 'application/yaml' }), headers: { 'Content-Type': 'application/yaml' } });
      const s = report.summary ?? {};
      clear(status).append(h('p', {}, `${s.created ?? 0} created, ${s.updated ?? 0} updated, ${s.unchanged ?? 0} unchanged, ${s.failed ?? 0} failed`),
        h('ul', {}, (report.results ?? []).filter((r) => r.status === 'failed').map((r) => h('li', { class: 'error' },
          `#${r.index} ${r.slug ?? ''}: ${(r.errors ?? []).map((x) => `${x.field} ${x.message}`).join('; ')}`))));
      announce('Catalogue imported');
      onImported();
    } catch (err) {
      clear(status).append(h('p', { class: 'error', role: 'alert' }, err instanceof SyntaxError ? `${f.name} is not valid JSON: ${err.message}` : describe(err)));
    }
  } }, field('Catalogue file (YAML or JSON: an array of experts, or {agents: [...]})', file),
  h('button', { type: 'submit', class: 'primary' }, 'Import'));
  return h('section', { class: 'card', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title' }, 'Import a catalogue'), form, status);
}

function edit(slot, detail, onSaved) {
  const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });
  const area = (name, value, rows = 3) => h('textarea', { name, rows, value: value ?? '' });
  const list = (v) => (v ?? []).join(', ');
  const f = {
    display_name: input('display_name', detail.display_name),
    name: input('name', detail.name, { required: true }),
    level: h('select', { name: 'level' }, Object.entries(LEVELS).map(([n, l]) => h('option', { value: n, selected: Number(n) === detail.level }, l))),
    specialty: input('specialty', detail.specialty),
    description: area('description', detail.description),
    domains: input('domains', list(detail.domains)),
    capabilities: input('capabilities', list(detail.capabilities)),
    knowledge_namespaces: input('knowledge_namespaces', list(detail.knowledge_namespaces)),
    system_prompt: area('system_prompt', detail.system_prompt, 6),
    model: input('model', detail.model),
    status: h('select', { name: 'status' }, ['active', 'inactive', 'deprecated'].map((s) => h('option', { value: s, selected: s === detail.status }, s))),
  };
  const status = h('p', { role: 'status' });
  const split = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
  const form = h('form', { class: 'card expert-editor', 'aria-labelledby': 'edit-title', onsubmit: async (e) => {
    e.preventDefault();
    const body = {
      slug: detail.slug, name: f.name.value, display_name: f.display_name.value, level: Number(f.level.value),
      specialty: f.specialty.value, description: f.description.value, domains: split(f.domains.value),
      capabilities: split(f.capabilities.value), knowledge_namespaces: split(f.knowledge_namespaces.value),
      system_prompt: f.system_prompt.value, status: f.status.value, tools: detail.tools ?? [],
    };
    if (f.model.value.trim()) body.model = f.model.value.trim();
    if (detail.reports_to) body.reports_to = detail.reports_to;
    try {
      await api(`${BASE}/agents`, { method: 'POST', body });
      status.className = 'hint';
      status.textContent = `Saved ${detail.slug}.`;
      announce('Expert saved');
      onSaved();
    } catch (err) {
      status.className = 'error';
      status.textContent = describe(err);
    }
  } },
  h('h2', { id: 'edit-title' }, `Edit ${detail.display_name || detail.name}`),
  detail.visibility === 'public' ? h('p', { class: 'hint' }, 'This is a public expert: saving stores your tenant\u2019s own version under the same slug.') : null,
  field('Display name', f.display_name), field('Name', f.name), field('Level', f.level), field('Specialty', f.specialty),
  field('Description', f.description), field('Domains (comma separated)', f.domains),
  field('Capabilities (comma separated)', f.capabilities), field('Knowledge namespaces (comma separated)', f.knowledge_namespaces),
  field('System prompt', f.system_prompt), field('Model (optional)', f.model), field('Status', f.status),
  status,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save'),
    h('button', { type: 'button', class: 'ghost', onclick: () => clear(slot) }, 'Close')));
  clear(slot).append(form);
  f.name.focus();
}
