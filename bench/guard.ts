/**
 * The room guard under a flood of right-PIN knocks (`npm run bench -- guard`): 100 knocks a
 * second for FLOOD_MS into one room, each from a new address behind the trusted proxy (the
 * worst case: a per-source knock budget does not help), while another room's clinician and
 * guests go on. Figures: how long the other rooms wait for a lobby read, a host PIN check
 * and a guest's knock (p50, p95, max), and what the flood got (admitted to the lobby,
 * refused for a full lobby or knocking budget, refused as busy). The guard runs in its own
 * process (bench/guard-server.ts); every PIN check is a real scrypt.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { percentile, round, type Bench, type Figure } from './bench';

const FLOOD_PER_SECOND = 100;
const FLOOD_MS = 5_000;
const PROBE_EVERY_MS = 100;
const hostPin = '61803398';
const guestPin = '27182818';

export const guardBench: Bench = {
  name: 'room guard under a knock flood',
  async run(ctx) {
    const provisionKey = randomBytes(24).toString('base64url');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./guard-server.ts', import.meta.url))], {
      env: { ...process.env, GUARD_PROVISION_KEY: provisionKey },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`the guard exited (${code})`)));
        createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
      });
      let address = 0;
      /** A new client address behind the proxy for every call: 10.x.y.z. */
      const nextAddress = () => ((n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`)(++address);
      const api = async (method: string, path: string, body?: unknown, bearer?: string) => {
        const res = await fetch(url + path, {
          method,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': nextAddress(), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const room = async () => {
        const id = randomBytes(16).toString('hex');
        if ((await api('POST', '/v1/rooms', { room: id, hostPin, guestPin }, provisionKey)).status !== 201) throw new Error('provisioning failed');
        return id;
      };
      const [flooded, other, another] = [await room(), await room(), await room()];
      const watcher = String((await api('POST', `/v1/rooms/${other}/watcher`, { pin: hostPin })).json.watcher);
      const knock = (id: string) => api('POST', `/v1/rooms/${id}/guests`, { pin: guestPin, name: 'Flo Example', role: 'other' });

      ctx.note(`${FLOOD_PER_SECOND} right-PIN knocks a second for ${FLOOD_MS / 1000} s, other rooms probed every ${PROBE_EVERY_MS} ms`);
      const flood: Array<Promise<number>> = [];
      const started = performance.now();
      const floodTimer = setInterval(() => {
        for (let i = 0; i < FLOOD_PER_SECOND / 20; i++) flood.push(knock(flooded).then((r) => r.status, () => 0));
      }, 50);
      const probes = { lobby: [] as number[], host: [] as number[], knock: [] as number[] };
      const timed = async (into: number[], call: () => Promise<{ status: number }>) => {
        const t = performance.now();
        const { status } = await call();
        into.push(performance.now() - t);
        return status;
      };
      const probeStatuses: number[] = [];
      while (performance.now() - started < FLOOD_MS) {
        probeStatuses.push(
          await timed(probes.lobby, () => api('GET', `/v1/rooms/${other}/lobby`, undefined, watcher)),
          await timed(probes.host, () => api('POST', `/v1/rooms/${other}/host`, { pin: hostPin })),
          await timed(probes.knock, () => knock(another)),
        );
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      }
      clearInterval(floodTimer);
      const outcomes = await Promise.all(flood);
      const refusedProbes = probeStatuses.filter((s) => s >= 300).length;
      const figures: Figure[] = [];
      for (const [what, samples] of [
        ['another room: lobby read', probes.lobby],
        ['another room: host PIN', probes.host],
        ['another room: guest knock', probes.knock],
      ] as const) {
        figures.push(
          { label: `${what}, p50`, value: round(percentile(samples, 50)), unit: 'ms' },
          { label: `${what}, p95`, value: round(percentile(samples, 95)), unit: 'ms' },
          { label: `${what}, max`, value: round(Math.max(...samples)), unit: 'ms' },
        );
      }
      figures.push(
        { label: 'other rooms: requests refused during the flood', value: refusedProbes, unit: 'count' },
        { label: 'flood: knocks sent', value: outcomes.length, unit: 'count' },
        { label: 'flood: into the lobby (201)', value: outcomes.filter((s) => s === 201).length, unit: 'count' },
        { label: 'flood: lobby full or knocking too often (429)', value: outcomes.filter((s) => s === 429).length, unit: 'count' },
        { label: 'flood: PIN checks busy (503)', value: outcomes.filter((s) => s === 503).length, unit: 'count' },
      );
      return figures;
    } finally {
      child.stdin!.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  },
};
