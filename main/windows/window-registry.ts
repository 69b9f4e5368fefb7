/**
 * Which webContents belongs to which kind of window. Plain TypeScript: the IPC sender check,
 * the permission handler and the event sink all ask this one registry, so a webContents we
 * did not create (DevTools, anything unexpected) is never treated as one of ours.
 */
import type { WindowKind } from '../../preload/contract';

/** The part of a WebContents the registry and the event sink use. */
export interface TrackedContents {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export class WindowRegistry {
  readonly #kindById = new Map<number, WindowKind>();
  readonly #contentsByKind = new Map<WindowKind, TrackedContents>();

  /** One window per kind: registering a kind again replaces the previous entry. */
  add(kind: WindowKind, contents: TrackedContents): void {
    const previous = this.#contentsByKind.get(kind);
    if (previous) this.#kindById.delete(previous.id);
    this.#kindById.set(contents.id, kind);
    this.#contentsByKind.set(kind, contents);
  }

  remove(webContentsId: number): void {
    const kind = this.#kindById.get(webContentsId);
    if (kind === undefined) return;
    this.#kindById.delete(webContentsId);
    if (this.#contentsByKind.get(kind)?.id === webContentsId) this.#contentsByKind.delete(kind);
  }

  kindOf(webContentsId: number): WindowKind | undefined {
    return this.#kindById.get(webContentsId);
  }

  /** The live webContents of that kind, if its window is open. */
  contentsOf(kind: WindowKind): TrackedContents | undefined {
    const contents = this.#contentsByKind.get(kind);
    return contents && !contents.isDestroyed() ? contents : undefined;
  }
}
