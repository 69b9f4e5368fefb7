// Types for scripts/sqlite-prebuild.mjs (plain ESM, run by Node before anything is built).
/** The environment that tells prebuild-install where the kept SQLite build is. */
export function sqlitePrebuildEnv(): Record<string, string>;
/** The kept build's path for this Node, platform and architecture. */
export function prebuildFile(): string;
/** After npm ci: checks the binding loads (compiling it again if a kept build did not) and keeps its build. */
export function keepSqlitePrebuild(): Promise<boolean>;
