// Runs before each unit test file (vitest `setupFiles`): what every file shares.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir';

afterAll(removeTempDirs);
