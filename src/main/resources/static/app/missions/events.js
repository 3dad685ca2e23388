// One line of text per mission event for the events log (never HTML: the log sets it as text).

const clip = (text, n = 160) => {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
};

/** Dollars as people read them: cents at least, sub-cent costs with their digits ($0.000042). */
export function money(value) {
  const n = Number(value ?? 0);
  if (!Number.isFinite(n) || n === 0) return '$0.00';
  const text = Math.abs(n) < 0.01 ? n.toFixed(6) : n.toFixed(4);
  return `$${text.replace(/0+$/, '').replace(/\.(\d)?$/, (m, d) => `.${d ?? '0'}0`)}`;
}

export function describeEvent({ name, data }) {
  switch (name) {
    case 'run': return `run ${data.run_id}`;
    case 'mission_started': return 'The mission started.';
    case 'plan': return `A plan of ${data.steps?.length ?? 0} steps${data.plan_confidence !== undefined ? ` (confidence ${Math.round(data.plan_confidence <= 1 ? data.plan_confidence * 100 : data.plan_confidence)}%)` : ''}.`;
    case 'step_started': return `Step started: ${data.name ?? data.step_id}`;
    case 'step_completed': return `Step ${data.status ?? 'completed'} in ${((data.duration_ms ?? 0) / 1000).toFixed(1)} s`;
    case 'step_progress': return `Step ${data.step}/${data.total}: ${data.name ?? ''}`;
    case 'tool_call': return clip(`${data.tool} ${JSON.stringify(data.input ?? {})}`);
    case 'tool_result': return data.error ? clip(`${data.tool} failed: ${data.error}`) : `${data.tool} answered in ${data.durationMs ?? 0} ms`;
    case 'delegation': return clip(`${data.from ?? ''} asks ${data.to}: ${data.task}${data.reason ? ` (${data.reason})` : ''}`);
    case 'reasoning': return clip(`${data.step ?? ''}: ${data.content ?? ''}`);
    case 'progress': return clip(`${data.message ?? data.stage ?? ''}${data.progress !== undefined ? ` (${data.progress}%)` : ''}`);
    case 'checkpoint': return clip(`Checkpoint (${data.type}): ${data.title ?? data.question ?? ''}`);
    case 'artifact': return clip(`Artifact: ${data.title} (${data.type}, ${data.format})`);
    case 'sources': return `${data.items?.length ?? 0} sources found`;
    case 'citation': return clip(`Cited [${data.index ?? data.item?.index ?? ''}] ${data.title ?? data.item?.title ?? ''}`);
    case 'cost': return `Cost so far ${money(data.currentCost ?? data.estimatedCost)}${data.budgetLimit ? ` of ${money(data.budgetLimit)}` : ''}`;
    case 'mission_completed': return `The mission ${data.status ?? 'completed'}: ${data.metrics?.steps_executed ?? '?'} steps, ${money(data.metrics?.total_cost_usd)}`;
    case 'done': return 'Done.';
    case 'error': return clip(`Failed: ${data.message ?? ''} (${data.code ?? ''})`);
    case 'cancelled': return clip(`Cancelled: ${data.reason ?? ''}`);
    case 'preflight': return `Preflight ${data.status ?? ''}: ${(data.checks ?? []).map((c) => `${c.id} ${c.status}`).join(', ')}`;
    case 'team_assembly': return clip(`A team of ${data.team?.length ?? 0}: ${(data.team ?? []).map((m) => `${m.name} (${m.role})`).join(', ')}`);
    case 'notification': return clip(`${data.title ?? data.type ?? ''}: ${data.message ?? ''}`);
    case 'token': return null; // a step's streamed text; the report shows the result
    default: return clip(`${JSON.stringify(data)}`);
  }
}
