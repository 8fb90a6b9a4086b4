// Runs the job state machine from scheduling to a terminal state.
import type { JobContext } from './job-context.ts';
import { isTerminal, type JobState, type TerminalState } from './job-state.ts';
import { scheduling } from './scheduling.ts';

export async function runController(
  context: JobContext,
  onState?: (name: string) => void,
): Promise<TerminalState> {
  let state: JobState | TerminalState = scheduling;
  while (!isTerminal(state)) {
    onState?.(state.name);
    state = await state.run(context);
  }
  onState?.(state.name);
  return state;
}
