// Knowledge: upload documents (drag and drop, progress), list and delete them by namespace,
// and try a search to see the passages retrieval finds, with their scores.
import { api, upload, BASE, describe } from '../api.js';
import { session } from '../session.js';
import { h, clear, field, formatDate, announce } from '../dom.js';

const ACCEPT = '.pdf,.html,.htm,.md,.markdown,.txt,text/plain,text/markdown,text/html,application/pdf';

export function mount(container) {
  const view = new KnowledgeView(container);
  view.refresh();
  return () => view.unmount();
}

class KnowledgeView {
  constructor(container) {
    this.polling = null;
    container.append(h('div', { class: 'page knowledge' },
      h('h1', {}, 'Knowledge'),
      session.admin ? this.uploadSection() : h('p', { class: 'hint' }, 'Uploading and deleting documents needs the admin role of your tenant; you can search.'),
      this.listSection(),
      this.searchSection()));
  }

  uploadSection() {
    this.files = h('input', { type: 'file', multiple: true, accept: ACCEPT });
    this.namespace = h('input', { name: 'namespace', value: 'default', required: true, pattern: '[A-Za-z0-9_.:-]+' });
    this.domain = h('input', { name: 'domain' });
    this.progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress' });
    this.uploadStatus = h('div', { class: 'upload-status', role: 'status' });
    this.drop = h('div', { class: 'dropzone', tabindex: '0', role: 'button',
      'aria-label': 'Drop files here, or press Enter to choose files',
      onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.files.click(); } } },
    h('p', {}, 'Drop PDF, HTML, Markdown or text files here, or press Enter to choose them'));
    this.drop.addEventListener('dragover', (e) => { e.preventDefault(); this.drop.classList.add('over'); });
    this.drop.addEventListener('dragleave', () => this.drop.classList.remove('over'));
    this.drop.addEventListener('drop', (e) => {
      e.preventDefault();
      this.drop.classList.remove('over');
      this.send([...e.dataTransfer.files]);
    });
    this.files.addEventListener('change', () => this.send([...this.files.files]));
    return h('section', { class: 'card', 'aria-labelledby': 'upload-title' },
      h('h2', { id: 'upload-title' }, 'Upload documents'),
      h('div', { class: 'filters' }, field('Namespace', this.namespace, 'Experts read the namespaces listed in their profile.'),
        field('Domain (optional)', this.domain)),
      field('Files', this.files), this.drop, this.progress, this.uploadStatus);
  }

  async send(files) {
    if (!files.length) return;
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    form.append('namespace', this.namespace.value.trim() || 'default');
    if (this.domain.value.trim()) form.append('domain', this.domain.value.trim());
    this.progress.hidden = false;
    this.progress.value = 0;
    clear(this.uploadStatus).append(h('p', {}, `Uploading ${files.length} file${files.length === 1 ? '' : 's'}…`));
    try {
      const { status, body } = await upload(`${BASE}/knowledge/documents`, form, (p) => {
        this.progress.value = p;
        if (p === 100) clear(this.uploadStatus).append(h('p', {}, 'Uploaded; indexing…'));
      });
      if (status === 202) await this.followJob(body.job_id, body.rejected ?? []);
      else this.showOutcomes(body.documents ?? []);
    } catch (e) {
      clear(this.uploadStatus).append(h('p', { class: 'error', role: 'alert' }, describe(e)));
    } finally {
      this.files.value = '';
      this.refresh();
    }
  }

  async followJob(jobId, rejected) {
    for (;;) {
      const job = await api(`${BASE}/knowledge/jobs/${encodeURIComponent(jobId)}`);
      this.progress.value = job.progress ?? 0;
      clear(this.uploadStatus).append(h('p', {}, `Indexing: ${job.processed} of ${job.total} (${job.status})`));
      if (['completed', 'failed'].includes(job.status)) {
        this.showOutcomes([...rejected, ...(job.errors ?? []).map((e) => ({ status: 'failed', ...e }))],
          `${job.succeeded} indexed, ${job.failed + rejected.length} failed`);
        return;
      }
      await new Promise((r) => { this.polling = setTimeout(r, 500); });
    }
  }

  showOutcomes(outcomes, summary) {
    this.progress.value = 100;
    const ok = outcomes.filter((o) => o.status === 'indexed').length;
    const text = summary ?? `${ok} indexed, ${outcomes.length - ok} failed`;
    announce(`Upload finished: ${text}`);
    clear(this.uploadStatus).append(h('p', {}, text), h('ul', {}, outcomes.map((o) => h('li', { class: o.status === 'failed' ? 'error' : '' },
      `${o.external_id ?? o.key ?? 'document'}: ${o.status}${o.chunks ? `, ${o.chunks} passages` : ''}${o.error ? ` (${o.error})` : ''}`))));
  }

  listSection() {
    this.filter = h('select', { name: 'namespace-filter' }, h('option', { value: '' }, 'All namespaces'));
    this.filter.addEventListener('change', () => this.refresh());
    this.table = h('tbody');
    this.listStatus = h('p', { class: 'hint', role: 'status' });
    return h('section', { class: 'card', 'aria-labelledby': 'docs-title' },
      h('h2', { id: 'docs-title' }, 'Your documents'),
      field('Namespace', this.filter), this.listStatus,
      h('div', { class: 'table-wrap' }, h('table', { class: 'documents' },
        h('thead', {}, h('tr', {}, ['Title', 'Namespace', 'Passages', 'Added', ''].map((t) => h('th', { scope: 'col' }, t)))),
        this.table)));
  }

  async refresh() {
    const ns = this.filter.value;
    try {
      const page = await api(`${BASE}/knowledge/documents?limit=200${ns ? `&namespace=${encodeURIComponent(ns)}` : ''}`);
      const docs = page.documents ?? [];
      if (!ns) {
        const known = new Set([...this.filter.options].map((o) => o.value));
        for (const d of docs) {
          if (!known.has(d.namespace)) {
            known.add(d.namespace);
            this.filter.append(h('option', { value: d.namespace }, d.namespace));
          }
        }
      }
      clear(this.table);
      for (const d of docs) {
        const del = session.admin ? h('button', { type: 'button', class: 'ghost small danger', 'aria-label': `Delete ${d.title}`,
          onclick: () => this.remove(d) }, 'Delete') : null;
        this.table.append(h('tr', {}, h('td', {}, d.title), h('td', {}, d.namespace), h('td', {}, d.chunks),
          h('td', {}, formatDate(d.created_at)), h('td', {}, del)));
      }
      this.listStatus.textContent = docs.length ? `${docs.length} document${docs.length === 1 ? '' : 's'}` : 'No documents of your own yet (the public starter knowledge is searchable below).';
    } catch (e) {
      this.listStatus.textContent = describe(e);
    }
  }

  async remove(d) {
    if (!window.confirm(`Delete “${d.title}” and its passages?`)) return;
    try {
      await api(`${BASE}/knowledge/documents/${encodeURIComponent(d.id)}`, { method: 'DELETE' });
      announce(`Deleted ${d.title}`);
    } catch (e) {
      this.listStatus.textContent = describe(e);
    }
    this.refresh();
  }

  searchSection() {
    const query = h('input', { type: 'search', name: 'q', required: true });
    const strategy = h('select', { name: 'strategy' }, ['hybrid', 'keyword', 'vector'].map((s) => h('option', { value: s }, s)));
    const namespaces = h('input', { name: 'namespaces', placeholder: 'all you can read' });
    const results = h('ol', { class: 'search-results' });
    const status = h('p', { class: 'hint', role: 'status' });
    const form = h('form', { class: 'search-form', onsubmit: async (e) => {
      e.preventDefault();
      status.textContent = 'Searching…';
      clear(results);
      try {
        const body = { query: query.value, top_k: 10, strategy: strategy.value };
        const ns = namespaces.value.split(',').map((s) => s.trim()).filter(Boolean);
        if (ns.length) body.namespaces = ns;
        const r = await api(`${BASE}/knowledge/search`, { method: 'POST', body });
        status.textContent = `${r.results.length} passages in ${r.retrieval_time_ms} ms (${r.strategy}, ${r.vector_store})`;
        for (const p of r.results) {
          results.append(h('li', { class: 'result' },
            h('div', { class: 'result-head' }, h('strong', {}, p.title), h('span', { class: 'badge' }, `score ${Number(p.score).toFixed(4)}`),
              h('span', { class: 'hint' }, ` ${p.namespace}`)),
            h('p', { class: 'excerpt' }, p.excerpt)));
        }
      } catch (err) {
        status.textContent = describe(err);
      }
    } },
    h('div', { class: 'filters' }, field('Search the knowledge base', query), field('Strategy', strategy),
      field('Namespaces (comma separated)', namespaces)),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));
    return h('section', { class: 'card', 'aria-labelledby': 'search-title' },
      h('h2', { id: 'search-title' }, 'Try a search'), form, status, results);
  }

  unmount() {
    clearTimeout(this.polling);
  }
}
