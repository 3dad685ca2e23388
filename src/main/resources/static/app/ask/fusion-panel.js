// Mode 2: the panel fusion chose and why. The stream's `fusion` event gives the experts, their
// confidence and each retriever's status; the selection's full evidence (each source's ranking,
// the graph paths) comes from POST /mode2/fusion/select, which answers from fusion's cache.
import { api, BASE, describe } from '../api.js';
import { h, clear, LEVELS } from '../dom.js';

const SOURCES = { vector: 'Vector (profile similarity)', graph: 'Graph (concepts and relations)', relational: 'Relational (full text and filters)' };

export class FusionPanel {
  constructor(fusion, query) {
    this.experts = fusion.selectedExperts ?? [];
    this.evidence = fusion.evidence ?? {};
    this.why = new Map();
    this.rows = new Map();
    const list = h('ol', { class: 'panel-experts' });
    for (const e of this.experts) {
      const why = h('p', { class: 'why hint' });
      const ranks = h('p', { class: 'ranks hint' });
      this.why.set(e.id, why);
      this.rows.set(e.id, ranks);
      list.append(h('li', { class: 'panel-expert' },
        h('div', { class: 'panel-head' },
          h('strong', {}, e.name), h('span', { class: 'badge' }, e.role ?? 'member'),
          h('span', { class: 'hint' }, ` ${LEVELS[e.level] ?? ''} · ${e.specialty ?? ''}`)),
        h('div', { class: 'confidence' },
          h('meter', { min: 0, max: 100, value: e.confidence ?? 0, 'aria-label': `${e.name}: confidence` }),
          h('span', {}, `${e.confidence ?? 0}% confidence`)),
        why, ranks));
    }
    const ev = this.evidence;
    const weights = ev.weights ? Object.entries(ev.weights).map(([k, v]) => `${k} ${Number(v).toFixed(2)}`).join(', ') : '';
    const perSource = h('table', { class: 'evidence-table' },
      h('caption', {}, 'Retrievers'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'source'), h('th', { scope: 'col' }, 'status'),
        h('th', { scope: 'col' }, 'hits'), h('th', { scope: 'col' }, 'time'))),
      h('tbody', {}, Object.entries(ev.per_source ?? {}).map(([name, r]) => h('tr', {},
        h('th', { scope: 'row' }, SOURCES[name] ?? name), h('td', {}, r.status), h('td', {}, r.hits), h('td', {}, `${r.latencyMs ?? r.latency_ms ?? 0} ms`)))));
    this.paths = h('div', { class: 'graph-paths' });
    this.element = h('section', { class: 'fusion-panel', 'aria-label': 'Panel chosen by fusion' },
      h('h3', {}, 'Panel chosen by fusion'),
      list,
      h('details', { class: 'evidence', open: true },
        h('summary', {}, 'Evidence'),
        h('p', {}, `Method ${ev.method ?? 'weighted_rrf'}; weights ${weights}; sources used: ${(ev.sources_used ?? []).join(', ') || 'none'}; `,
          `${ev.retrieval_time_ms ?? 0} ms`, ev.degraded ? '; degraded (a source was late or failed)' : '',
          ev.fallback_reason ? `; fallback: ${ev.fallback_reason}` : ''),
        perSource,
        this.paths));
    this.loadEvidence(query);
  }

  /** The `reasoning{step:"expert_selection"}` events say in a sentence why each expert sits on the panel. */
  reason(step) {
    if (step.step === 'expert_selection' && this.why.has(step.agentId)) this.why.get(step.agentId).textContent = step.content;
  }

  async loadEvidence(query) {
    if (!query) return;
    try {
      const sel = await api(`${BASE}/mode2/fusion/select`, { method: 'POST', body: { query, max_experts: Math.max(1, this.experts.length) } });
      const fe = sel.fusion_evidence ?? {};
      const rankIn = (scores, id) => {
        const keys = Object.keys(scores ?? {});
        const i = keys.indexOf(id);
        return i < 0 ? null : { rank: i + 1, score: scores[id] };
      };
      for (const e of this.experts) {
        const parts = [['vector', fe.vector_scores], ['relational', fe.relational_scores]]
          .map(([name, scores]) => [name, rankIn(scores, e.id)])
          .filter(([, r]) => r)
          .map(([name, r]) => `${name} rank ${r.rank} (score ${Number(r.score).toFixed(3)})`);
        const path = fe.graph_paths?.[e.id];
        if (path?.length) parts.push(`graph rank ${Object.keys(fe.graph_paths).indexOf(e.id) + 1}`);
        this.rows.get(e.id).textContent = parts.length ? parts.join(' · ') : 'not ranked by any source (fallback)';
      }
      const paths = Object.entries(fe.graph_paths ?? {}).filter(([id]) => this.rows.has(id));
      clear(this.paths);
      if (paths.length) {
        this.paths.append(h('h4', {}, 'Graph paths'), h('ul', {}, paths.map(([id, nodes]) => h('li', {},
          h('strong', {}, this.experts.find((e) => e.id === id)?.name ?? id), ': ', nodes.join(' → ')))));
      }
    } catch (e) {
      this.paths.append(h('p', { class: 'hint' }, `Detailed evidence unavailable: ${describe(e)}`));
    }
  }
}
