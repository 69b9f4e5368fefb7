/**
 * A tiny typed event emitter for the call classes: no Node `events` in the renderer, and the
 * Svelte call window and the test guest page both subscribe with `on(...)` and get back an
 * unsubscribe function.
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (err) {
        // A failing UI listener must not break call signalling: report it to the window's
        // error handler (renderer/src/lib/window-log.ts sends it to main's log) and carry on.
        reportError(err);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
