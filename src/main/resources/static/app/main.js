// Boot: redeem a sign-in link if the address carries one, else ask who is signed in; then the
// shell and the view the address names (#/ask, #/experts, #/knowledge…).
import { api, describe } from './api.js';
import { session } from './session.js';
import { h, clear, announce } from './dom.js';
import { VIEWS, DEFAULT_VIEW } from './views.js';
import { applyStoredTheme, currentTheme, toggleTheme } from './theme.js';
import { mountSignIn } from './views/signin.js';

const root = document.getElementById('app');
let unmount = null;
let shell = null;

applyStoredTheme();
window.addEventListener('askexpert:signed-out', () => {
  if (session.user) {
    session.clear();
    showSignIn('Your sign-in has expired or was revoked: sign in again.');
  }
});
window.addEventListener('hashchange', () => {
  // A sign-in link opened in a tab that already shows the app changes only the fragment.
  if (location.hash.startsWith('#signin=')) boot();
  else if (session.user) route();
});
boot();

async function boot() {
  const code = new URLSearchParams(location.hash.slice(1)).get('signin');
  if (code) {
    // The code is single-use: drop it from the address bar and history before anything else.
    history.replaceState(null, '', `${location.pathname}#/${DEFAULT_VIEW}`);
    try {
      session.set(await api('/auth/signin', { method: 'POST', body: { code } }));
      return start();
    } catch (e) {
      return showSignIn(describe(e));
    }
  }
  try {
    session.set(await api('/auth/session'));
    start();
  } catch (e) {
    showSignIn(e.status === 401 ? null : describe(e));
  }
}

function showSignIn(message) {
  if (unmount) unmount();
  unmount = null;
  shell = null;
  clear(root);
  mountSignIn(root, message, () => start());
}

function start() {
  if (unmount) unmount();
  unmount = null;
  shell = buildShell();
  clear(root).append(shell.element);
  route();
}

function buildShell() {
  const nav = h('ul', { class: 'nav-links' },
    VIEWS.map((v) => h('li', {}, h('a', { href: `#/${v.id}`, dataset: { view: v.id } }, v.label))));
  const themeButton = h('button', { type: 'button', class: 'ghost', onclick: () => {
    const next = toggleTheme();
    themeButton.setAttribute('aria-pressed', String(next === 'dark'));
  } }, 'Dark theme');
  themeButton.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  const signOut = h('button', { type: 'button', class: 'ghost', onclick: async () => {
    try {
      await api('/auth/signout', { method: 'POST' });
    } catch {
      // Signed out locally either way; the cookie expires on its own.
    }
    session.clear();
    showSignIn('Signed out.');
  } }, 'Sign out');
  const main = h('main', { id: 'main', tabindex: '-1' });
  const skip = h('a', { class: 'skip-link', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } },
    'Skip to content');
  const header = h('header', { class: 'top' },
    h('a', { class: 'brand', href: `#/${DEFAULT_VIEW}` }, h('span', { 'aria-hidden': 'true', class: 'logo' }), 'Ask Expert'),
    h('nav', { 'aria-label': 'Main' }, nav),
    h('div', { class: 'who' },
      h('span', { class: 'identity', title: 'tenant / user' }, `${session.tenant} / ${session.user}${session.admin ? ' (admin)' : ''}`),
      themeButton, signOut));
  return { element: h('div', { class: 'shell' }, skip, header, main), main, nav };
}

async function route() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const view = VIEWS.find((v) => v.id === path) ?? VIEWS.find((v) => v.id === DEFAULT_VIEW);
  for (const link of shell.nav.querySelectorAll('a')) {
    if (link.dataset.view === view.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (unmount) unmount();
  unmount = null;
  clear(shell.main);
  document.title = `${view.label} · Ask Expert`;
  try {
    const module = await view.load();
    unmount = module.mount(shell.main, new URLSearchParams(query ?? '')) ?? null;
  } catch (e) {
    shell.main.append(h('p', { class: 'error', role: 'alert' }, `This page could not be loaded: ${e.message}`));
  }
  announce(`${view.label} page`);
}
