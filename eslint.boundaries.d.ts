// Types for eslint.boundaries.js (plain JS, as eslint.config.js loads it), for its unit test.
import type { Linter } from 'eslint';

export const MESSAGES: { windowToMain: string; mainToWindow: string; sharedUp: string };
export const boundaries: Linter.Config[];
