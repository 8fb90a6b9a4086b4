// Planning-time checks of an output mode against the job's graph, so a job that cannot honour
// its mode fails before it reads a record, naming the sink and the node in the way.
//   append   every result is final when emitted: a running aggregate (whose result changes with
//            every record) before a sink cannot be appended;
//   complete the whole result table at each trigger: only an aggregation bounds that table, so
//            a sink with no aggregation before it is refused;
//   update   changed results at each trigger: any graph.
// Session windows keep their own emission (a session closes when its gap passes) and are
// refused in update and complete modes rather than silently ignoring the mode.
import { EngineError } from '../engine-error.ts';
import type { OutputMode } from '../operators/operator.ts';
import type { LogicalGraph, LogicalNode } from './logical-graph.ts';

const isWindow = (n: LogicalNode) => n.kind.startsWith('window(');
const isAggregation = (n: LogicalNode) => n.kind === 'aggregate' || isWindow(n);

/** Nodes upstream of `id` (itself excluded), by an explicit stack (no recursion). */
function upstreamOf(graph: LogicalGraph, id: number): LogicalNode[] {
  const seen = new Set<number>();
  const stack = [id];
  const found: LogicalNode[] = [];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const edge of graph.inputsOf(current)) {
      if (seen.has(edge.from)) continue;
      seen.add(edge.from);
      found.push(graph.node(edge.from));
      stack.push(edge.from);
    }
  }
  return found;
}

export function checkOutputMode(graph: LogicalGraph, mode: OutputMode): void {
  for (const sink of graph.nodes) {
    if (sink.kind !== 'sink') continue;
    const upstream = upstreamOf(graph, sink.id);
    if (mode === 'append') {
      const running = upstream.find((n) => n.kind === 'aggregate');
      if (running !== undefined) {
        throw new EngineError(
          'invalid_job',
          `Append output mode cannot write '${running.name}' to '${sink.name}': a running aggregate's result changes with every record, so none is final; use update or complete mode, or aggregate over a window`,
        );
      }
      continue;
    }
    const sessions = upstream.find((n) => n.kind === 'window(session)');
    if (sessions !== undefined) {
      throw new EngineError(
        'invalid_job',
        `${mode === 'update' ? 'Update' : 'Complete'} output mode is not supported for session windows ('${sessions.name}' before '${sink.name}'); use append mode`,
      );
    }
    if (mode === 'complete' && !upstream.some(isAggregation)) {
      throw new EngineError(
        'invalid_job',
        `Complete output mode needs an aggregation before '${sink.name}': without one the result table is the whole unbounded stream; use append or update mode`,
      );
    }
  }
}
