// The job controller is a state machine (Arroyo's shape): each state is one file with one
// function that runs until the job should move on and returns the next state.
//   scheduling → running → finishing → finished
//                     ↘ stopping → stopped      any → failed
import type { JobContext } from './job-context.ts';

export type TerminalState =
  | { readonly name: 'finished' | 'stopped' }
  | { readonly name: 'failed'; readonly error: Error };

export interface JobState {
  readonly name: string;
  run(context: JobContext): Promise<JobState | TerminalState>;
}

export function isTerminal(state: JobState | TerminalState): state is TerminalState {
  return state.name === 'finished' || state.name === 'stopped' || state.name === 'failed';
}
