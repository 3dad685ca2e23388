// Sign-in: the start-up banner's one-time link signs in by itself; otherwise paste a token
// (an identity provider's JWT, or one from ./ask-expert token).
import { api, describe } from '../api.js';
import { session } from '../session.js';
import { h, field } from '../dom.js';

export function mountSignIn(root, message, onSignedIn) {
  const token = h('textarea', { name: 'token', rows: 4, required: true, autocomplete: 'off', spellcheck: 'false' });
  const tenant = h('input', { name: 'tenant', autocomplete: 'organization' });
  const status = h('p', { class: message ? 'error' : 'hint', role: 'alert' }, message ?? '');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card signin-form', onsubmit: async (e) => {
    e.preventDefault();
    submit.disabled = true;
    status.className = 'hint';
    status.textContent = 'Signing in…';
    try {
      session.set(await api('/auth/signin', { method: 'POST',
        body: { token: token.value.trim(), tenant: tenant.value.trim() || undefined } }));
      token.value = '';
      onSignedIn();
    } catch (err) {
      status.className = 'error';
      status.textContent = describe(err);
      submit.disabled = false;
      token.focus();
    }
  } },
  h('h2', {}, 'Sign in with a token'),
  field('Token (JWT)', token, 'From your identity provider, or ./ask-expert token --tenant T --user U. It is kept in an HttpOnly cookie, never in the page.'),
  field('Tenant (only if the token names none)', tenant),
  submit);
  root.append(h('main', { id: 'main', class: 'signin', tabindex: '-1' },
    h('h1', {}, h('span', { 'aria-hidden': 'true', class: 'logo' }), 'Ask Expert'),
    status,
    h('section', { class: 'card', 'aria-labelledby': 'link-help' },
      h('h2', { id: 'link-help' }, 'Sign in with the link'),
      h('p', {}, 'On the built-in default, ./ask-expert prints a one-time sign-in link when it starts. Open it in this browser. ',
        'It works once, for 15 minutes; ', h('code', {}, './ask-expert token --link'), ' prints a new one.')),
    form));
  (message ? status : token).focus?.();
}
