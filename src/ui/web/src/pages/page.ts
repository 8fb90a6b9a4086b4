// Every page renders into the main element and returns what stops its timers and streams when
// the user navigates away.
export type Page = (root: HTMLElement, params: string[]) => () => void;
