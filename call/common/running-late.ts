/**
 * "Running late" by how many minutes: the few the clinician picks from. Apart from the call
 * contract (zod schemas), which the main window would otherwise load at start only for this list.
 */
export const LATE_MINUTES = [5, 10, 15] as const;
