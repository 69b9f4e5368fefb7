/**
 * Builds the page's bridge client (host/bridge-client.ts) into one classic script. The build
 * (vite.host.config.ts) writes it once as out/host/bridge.js beside the built host; the host
 * run from its sources (`npm start`: tsx host/main.ts) builds it at start instead. esbuild is
 * imported only here, when needed: loading it and starting its service cost the built host
 * about 100 ms at every start (some hundred starts per e2e run).
 */
export async function buildBridgeClient(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
