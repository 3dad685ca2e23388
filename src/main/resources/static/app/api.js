// Calls to the API with the session cookie, the CSRF token on unsafe methods, and errors read
// from the api.md §2 envelope; SSE over fetch, because the streaming routes are POSTs.
import { session } from './session.js';

export const BASE = '/api/v1/expert';

export class ApiError extends Error {
  constructor(status, code, message, details = {}, requestId = null, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? {};
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }
}

/** The envelope's message and what to do about it, for people. */
export function describe(error) {
  if (!(error instanceof ApiError)) {
    if (error?.name === 'AbortError') return 'Stopped.';
    return 'Cannot reach Ask Expert: check that the server is running and the network is up, then try again.';
  }
  const advice = {
    UNAUTHORIZED: 'Sign in again.',
    FORBIDDEN: error.details?.required_role === 'admin' ? 'Ask an administrator of your tenant.' : '',
    RATE_LIMIT_EXCEEDED: error.retryAfter ? `Try again in ${error.retryAfter} s.` : 'Wait a moment and try again.',
    SESSION_BUSY: 'This conversation is still answering: wait for it or stop it.',
    PAYLOAD_TOO_LARGE: 'Send something smaller.',
    LLM_ERROR: 'The language model did not answer: try again shortly.',
    SERVICE_UNAVAILABLE: 'The service is busy or a dependency is down: try again shortly.',
    INTERNAL_ERROR: 'Something failed on the server; the request id helps an operator find it.',
  }[error.code] ?? '';
  const field = error.details?.field ? ` (${error.details.field})` : '';
  const text = `${error.message}${field}${advice ? `. ${advice}` : ''}`;
  return error.requestId ? `${text} Request id: ${error.requestId}.` : text;
}

async function toError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: a proxy's page, for instance; described by its status below.
  }
  const e = body?.error ?? {};
  const error = new ApiError(response.status, e.code ?? `HTTP_${response.status}`,
    e.message ?? `The server answered ${response.status}`, e.details, e.request_id ?? response.headers.get('X-Request-ID'),
    response.headers.get('Retry-After'));
  if (response.status === 401) window.dispatchEvent(new CustomEvent('askexpert:signed-out'));
  return error;
}

function init(method, body, headers = {}, signal) {
  const result = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin', signal };
  if (body instanceof FormData || body instanceof Blob) {
    result.body = body;
  } else if (body !== undefined) {
    result.headers['Content-Type'] = 'application/json';
    result.body = JSON.stringify(body);
  }
  if (!['GET', 'HEAD'].includes(method) && session.csrf) result.headers['X-CSRF-Token'] = session.csrf;
  return result;
}

export async function api(path, { method = 'GET', body, headers, signal } = {}) {
  const response = await fetch(path, init(method, body, headers, signal));
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Opens an SSE stream and hands each event ({id, name, data}) to onEvent until the server ends
 * the stream. Resolves when the stream ends; rejects with ApiError before the stream opens, or
 * with a network error when it breaks (the caller resumes with lastEventId).
 */
export async function stream(path, { method = 'POST', body, lastEventId, signal, onEvent }) {
  const headers = { Accept: 'text/event-stream' };
  if (lastEventId !== undefined && lastEventId !== null) headers['Last-Event-ID'] = String(lastEventId);
  const request = init(method, body, headers, signal);
  request.headers.Accept = 'text/event-stream';
  const response = await fetch(path, request);
  if (!response.ok) throw await toError(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parse(block);
      if (event) onEvent(event);
    }
  }
}

function parse(block) {
  let id = null;
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = Number(value);
    else if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  let parsed;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch {
    parsed = { raw: data.join('\n') };
  }
  return { id, name, data: parsed };
}

/** Upload with progress (fetch cannot report upload progress): resolves with the JSON body. */
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (session.csrf) xhr.setRequestHeader('X-CSRF-Token', session.csrf);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total));
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // described below
      }
      if (xhr.status >= 200 && xhr.status < 300 || (xhr.status === 422 && body?.documents)) {
        resolve({ status: xhr.status, body });
        return;
      }
      const e = body?.error ?? {};
      if (xhr.status === 401) window.dispatchEvent(new CustomEvent('askexpert:signed-out'));
      reject(new ApiError(xhr.status, e.code ?? `HTTP_${xhr.status}`, e.message ?? `The server answered ${xhr.status}`,
        e.details, e.request_id ?? xhr.getResponseHeader('X-Request-ID')));
    });
    xhr.addEventListener('error', () => reject(new TypeError('network error')));
    xhr.send(form);
  });
}
