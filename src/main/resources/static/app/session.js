// Who is signed in. The credential itself lives in an HttpOnly cookie this code cannot read;
// the page only keeps the CSRF token (useless without the cookie) and the caller's name, in memory.

export const session = {
  user: null,
  tenant: null,
  admin: false,
  csrf: null,
  expiresAt: null,

  set(body) {
    this.user = body.user_id;
    this.tenant = body.tenant_id;
    this.admin = !!body.admin;
    this.csrf = body.csrf_token;
    this.expiresAt = body.expires_at;
  },

  clear() {
    this.user = this.tenant = this.csrf = this.expiresAt = null;
    this.admin = false;
  },

  /** A key that differs per tenant and user: page state of one caller is never shown to another. */
  key() {
    return `${this.tenant}\u0000${this.user}`;
  },
};
