// Follows a mission's event stream to its terminal event through dropped connections: each
// connection attaches to the mission (POST /mode3/stream, or /mode4/stream for a team's mission) and asks for the events after the last
// one seen (Last-Event-ID; none on the first, which replays the mission from its start). Each event
// reaches onEvent once, in order.
import { BASE, stream, ApiError } from '../api.js';

const TERMINAL = new Set(['done', 'error', 'cancelled']);
const RETRY_MS = [250, 500, 1000, 2000, 4000, 8000];

export class MissionFollower {
  /** onEvent(event) for every event once; onReconnect(lastId) before each retry; onEnd(terminal | null, error?) once. */
  constructor(missionId, { onEvent, onEnd, onReconnect, mode = 3 }) {
    this.missionId = missionId;
    this.path = `${BASE}/mode${mode === 4 ? 4 : 3}/stream`;
    this.onEvent = onEvent;
    this.onEnd = onEnd;
    this.onReconnect = onReconnect ?? (() => {});
    this.runId = null;
    this.lastId = 0;
    this.ended = false;
    this.controller = new AbortController();
  }

  async start() {
    let failures = 0;
    while (!this.ended && !this.controller.signal.aborted) {
      const before = this.lastId;
      try {
        await this.connect();
      } catch (e) {
        if (this.controller.signal.aborted) return;
        if (e instanceof ApiError) {
          this.finish(null, e);
          return;
        }
      }
      if (this.ended || this.controller.signal.aborted) return;
      failures = this.lastId > before ? 0 : failures + 1;
      if (failures > RETRY_MS.length) {
        this.finish(null, new TypeError('the mission stream keeps failing'));
        return;
      }
      this.onReconnect(this.lastId);
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]));
    }
  }

  connect() {
    return stream(this.path, {
      body: { mission_id: this.missionId },
      lastEventId: this.lastId || null,
      signal: this.controller.signal,
      onEvent: (e) => this.handle(e),
    });
  }

  handle(event) {
    if (this.ended || (event.id !== null && event.id <= this.lastId)) return;
    if (event.id !== null) this.lastId = event.id;
    if (event.name === 'run' && event.data.run_id) this.runId = event.data.run_id;
    if (event.name === 'heartbeat') return;
    this.onEvent(event);
    if (TERMINAL.has(event.name)) this.finish(event);
  }

  finish(terminal, error) {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(terminal, error);
  }

  /** Stops listening (leaving the page): the mission goes on without a client. */
  detach() {
    this.controller.abort();
  }
}
