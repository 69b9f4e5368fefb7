/**
 * What the host hears and sees when a guest knocks: a short two-note tone generated with
 * WebAudio (no sound file to ship) and, when the call window is not focused, an OS
 * notification (the Notification API: Electron maps it to the OS; in the browser host the
 * browser does, when allowed).
 */
export function playKnock(): void {
  try {
    const ctx = new AudioContext();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.value = 0.15;
    [0, 0.18].forEach((at, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = i === 0 ? 660 : 880;
      osc.connect(gain);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.12);
    });
    setTimeout(() => void ctx.close(), 600);
  } catch {
    // No audio output: the visible waiting list still tells the host.
  }
}

export function notifyKnock(title: string, body: string): void {
  if (document.hasFocus() || typeof Notification === 'undefined') return;
  const show = () => new Notification(title, { body, tag: 'lobby', silent: true });
  if (Notification.permission === 'granted') show();
  else if (Notification.permission === 'default') void Notification.requestPermission().then((p) => p === 'granted' && show());
}
