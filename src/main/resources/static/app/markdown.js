// Answers and documents are Markdown written by a model or a user: rendered by marked, then
// sanitised by DOMPurify before anything reaches the page. The page's CSP forbids inline script
// as a second wall. Citations [n] become buttons that open the cited passage.
import { marked } from '/webjars/marked/lib/marked.esm.js';
import DOMPurify from '/webjars/dompurify/dist/purify.es.mjs';

const CITATION = /\[(\d{1,3})\]/g;

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * Sanitised DOM for Markdown text. With citeLabel, each [n] for which citeLabel(n) returns a
 * label becomes a button with data-cite=n; the caller listens for clicks on them.
 */
export function renderMarkdown(text, citeLabel) {
  const html = marked.parse(text ?? '', { gfm: true, async: false });
  const fragment = DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id'],
  });
  if (citeLabel) linkCitations(fragment, citeLabel);
  return fragment;
}

function linkCitations(root, citeLabel) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest('a, code, pre') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.nodeValue;
    CITATION.lastIndex = 0;
    if (!CITATION.test(text)) continue;
    CITATION.lastIndex = 0;
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(CITATION)) {
      const n = Number(match[1]);
      const label = citeLabel(n);
      if (!label) continue;
      parts.append(text.slice(last, match.index));
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'cite';
      button.dataset.cite = String(n);
      button.setAttribute('aria-label', `Source ${n}: ${label}`);
      button.textContent = `[${n}]`;
      parts.append(button);
      last = match.index + match[0].length;
    }
    parts.append(text.slice(last));
    node.replaceWith(parts);
  }
}
