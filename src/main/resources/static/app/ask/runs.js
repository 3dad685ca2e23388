// Follows one run's event stream to its terminal event, whatever happens to the connection:
// a dropped stream is resumed from the last event seen (Last-Event-ID), and a reloaded page
// finds the run it was showing in sessionStorage and replays it from the start.
import { BASE, stream, api, ApiError } from '../api.js';
import { session } from '../session.js';

const KEY = 'askexpert.activeRun';
const TERMINAL = new Set(['done', 'error', 'cancelled']);
const RETRY_MS = [250, 500, 1000, 2000, 4000, 8000];

/** The run this tab was showing when it was reloaded, if it belongs to the signed-in user. */
export function activeRun() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return saved && saved.owner === session.key() ? saved : null;
  } catch {
    return null;
  }
}

function remember(run) {
  sessionStorage.setItem(KEY, JSON.stringify({ ...run, owner: session.key() }));
}

export function forgetActiveRun() {
  sessionStorage.removeItem(KEY);
}

export class RunFollower {
  /** onEvent(event) for every event once, in order; onEnd(terminalEvent | null, error?) once. */
  constructor({ onEvent, onEnd, context = {} }) {
    this.onEvent = onEvent;
    this.onEnd = onEnd;
    this.context = context;
    this.runId = null;
    this.lastId = 0;
    this.ended = false;
    this.controller = new AbortController();
  }

  /** POSTs a question to a streaming route and follows the run it starts. */
  async start(path, body) {
    try {
      await stream(path, { body, signal: this.controller.signal, onEvent: (e) => this.handle(e) });
    } catch (e) {
      if (!this.runId || e instanceof ApiError) return this.finish(null, e);
    }
    if (!this.ended) await this.resume();
  }

  /** Follows an existing run from lastId (0 replays it all). */
  async follow(runId, lastId = 0) {
    this.runId = runId;
    this.lastId = lastId;
    await this.resume();
  }

  async resume() {
    for (let attempt = 0; !this.ended && !this.controller.signal.aborted; attempt += 1) {
      try {
        await stream(`${BASE}/runs/${encodeURIComponent(this.runId)}/stream`, {
          method: 'GET', lastEventId: this.lastId, signal: this.controller.signal, onEvent: (e) => this.handle(e),
        });
        attempt = -1; // the stream made progress; a later break starts the back-off again
      } catch (e) {
        if (e instanceof ApiError || attempt >= RETRY_MS.length) return this.finish(null, e);
        if (this.controller.signal.aborted) return undefined;
      }
      if (!this.ended) await new Promise((r) => setTimeout(r, RETRY_MS[Math.max(0, attempt)] ?? 1000));
    }
    return undefined;
  }

  handle(event) {
    if (this.ended || (event.id !== null && event.id <= this.lastId)) return;
    if (event.id !== null) this.lastId = event.id;
    if (event.name === 'run') {
      this.runId = event.data.run_id;
      remember({ runId: this.runId, sessionId: event.data.session_id, mode: event.data.mode, ...this.context });
    }
    if (event.name === 'heartbeat') return;
    this.onEvent(event);
    if (TERMINAL.has(event.name)) this.finish(event);
  }

  finish(terminal, error) {
    if (this.ended) return;
    this.ended = true;
    forgetActiveRun();
    this.onEnd(terminal, error);
  }

  /** Asks the server to stop the run; the stream then ends with `cancelled`. */
  async stop() {
    if (!this.runId || this.ended) return;
    await api(`${BASE}/runs/${encodeURIComponent(this.runId)}/cancel`, { method: 'POST' });
  }

  /** Stops listening (leaving the page); the run goes on and is remembered for a later visit. */
  detach() {
    this.controller.abort();
  }
}
