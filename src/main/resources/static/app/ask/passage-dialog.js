// A cited passage and its document, in a modal dialog: the passage text as text (never HTML),
// the document's own address when it has a web one, and the whole stored document on request.
import { api, BASE, describe } from '../api.js';
import { h, clear } from '../dom.js';
import { renderMarkdown } from '../markdown.js';

let dialog = null;

function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return ['http:', 'https:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

export function openPassage(source, opener) {
  if (!source) return;
  dialog?.remove();
  const documentBox = h('div', { class: 'document-text' });
  const showDocument = h('button', { type: 'button', onclick: async () => {
    showDocument.disabled = true;
    clear(documentBox).append(h('p', { class: 'hint' }, 'Loading the document…'));
    try {
      const doc = await api(`${BASE}/knowledge/documents/${encodeURIComponent(source.document_id)}`);
      // The stored document is Markdown from whoever uploaded it: rendered only through the sanitiser.
      clear(documentBox).append(h('h3', {}, doc.title ?? 'Document'),
        ...(doc.chunks ?? []).map((c) => h('div', { class: `markdown chunk${String(c.chunk_id) === String(source.chunk_id) ? ' passage-mark' : ''}` },
          renderMarkdown(c.text))));
      documentBox.querySelector('.passage-mark')?.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      clear(documentBox).append(h('p', { class: 'error', role: 'alert' }, describe(e)));
      showDocument.disabled = false;
    }
  } }, 'Show the whole document');
  const url = source.url ? safeUrl(source.url) : null;
  const close = h('button', { type: 'button', class: 'primary', onclick: () => dialog.close() }, 'Close');
  dialog = h('dialog', { class: 'passage', 'aria-labelledby': 'passage-title' },
    h('h2', { id: 'passage-title' }, `[${source.index}] ${source.title ?? 'Source'}`),
    h('p', { class: 'hint' }, [source.source, source.confidence !== undefined ? `relevance ${Number(source.confidence).toFixed(2)}` : null]
      .filter(Boolean).join(' · ')),
    h('blockquote', { class: 'passage-text' }, source.excerpt ?? ''),
    h('div', { class: 'actions' },
      source.document_id ? showDocument : null,
      url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Open the original ↗') : null,
      close),
    documentBox);
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
