/** Whether build/ has a stamp at least as new as every .ts file under `root`/src. */
export function isBuildFresh(root: string): boolean;
