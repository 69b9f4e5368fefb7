/** Svelte action: plays a MediaStream in a <video> element (srcObject cannot be an attribute). */
export function srcObject(node: HTMLVideoElement, stream: MediaStream | null | undefined) {
  node.srcObject = stream ?? null;
  return {
    update(next: MediaStream | null | undefined) {
      if (node.srcObject !== next) node.srcObject = next ?? null;
    },
    destroy() {
      node.srcObject = null;
    },
  };
}
