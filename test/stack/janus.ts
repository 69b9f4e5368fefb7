/**
 * Starts Debian's Janus WebRTC Server for tests, with only the VideoRoom plugin and the
 * HTTP + WebSocket transports.
 *
 * Why a network namespace: Janus never gathers ICE candidates on a loopback interface, so
 * media cannot flow over 127.0.0.1. Janus therefore runs inside a network namespace that
 * this run creates, joined to the root namespace by a veth pair:
 *
 *     root namespace (browsers)           Janus's namespace (no default route)
 *     <host if> 10.77.N.2/30  <-- veth -->  <peer if> 10.77.N.1/30  (+ lo)
 *
 * Browsers stay in the root namespace and reach both signalling (ws://10.77.N.1:8188) and
 * media over the veth. Every packet therefore goes to 127.0.0.0/8 or to an address that only
 * exists inside the namespace this run made (the network rule). Nothing routes further: the
 * namespace has no default route and the host does not forward.
 *
 * The namespace is held by a tiny holder process (`unshare -n cat`) rather than by Janus
 * itself, so that `restart()` can kill Janus and start it again in the same namespace, with
 * the same addresses and URLs, without rebuilding the veth. The namespace disappears when
 * both the holder and Janus exit; the veth pair goes with it.
 *
 * Nothing outlives the test process: both children get PR_SET_PDEATHSIG=SIGKILL (setpriv),
 * the holder also exits on EOF of its stdin (our pipe), and SIGINT/SIGTERM/SIGHUP/exit
 * handlers kill them and delete the host end of the veth synchronously.
 *
 * Without root, without unshare/nsenter/ip, or where namespaces are not permitted (root
 * without CAP_SYS_ADMIN in a container), Janus runs on 127.0.0.1 with no namespace
 * (`isolated: false`, said on stderr); media then needs a real non-loopback interface.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../support/until';

export interface StartJanusOptions {
  /** Folder for the generated config and `janus.log`. Default: a new temp folder, removed on stop. */
  dir?: string;
  /** Janus debug level 0..7 (default 4: warnings and general info). */
  debugLevel?: number;
}

export interface JanusHandle {
  /**
   * Janus HTTP API root, e.g. http://10.77.N.1:8088/janus. Janus runs with `token_auth`:
   * without a token stored through the Admin API it answers only `info` and `ping`.
   */
  httpUrl: string;
  /** Janus Admin API (HTTP), e.g. http://10.77.N.1:7088/admin: what the room guard speaks. */
  adminUrl: string;
  /** The Admin API's `admin_secret` of this run. */
  adminSecret: string;
  /**
   * Stores a client token (VideoRoom only) through the Admin API, for tests and benches that
   * use Janus without the guard (the guard stores its own per admission). Answers the token.
   */
  addToken(token?: string): Promise<string>;
  /**
   * Janus WebSocket API on loopback, e.g. ws://127.0.0.1:PORT (subprotocol `janus-protocol`):
   * a forwarder to the namespace's port, so clients speak to Janus over 127.0.0.1 (the
   * console allows plain ws: only there). Media still goes over the veth (ICE, 10.77.N.1).
   */
  wsUrl: string;
  /** Address Janus offers as ICE candidate (10.77.N.1); '' when not isolated (Janus picks). */
  iceAddress: string;
  /**
   * The VideoRoom admin_key of this run: only its holder (the room guard) creates rooms, and
   * with lock_rtp_forward only its holder may copy a room's media elsewhere.
   */
  adminKey: string;
  /** Pid of the current Janus process (changes on restart). */
  pid: number;
  /** Config folder; Janus's output goes to `logFile` inside it. */
  dir: string;
  logFile: string;
  /** True when Janus runs in its own network namespace. */
  isolated: boolean;
  /** Root-namespace end of the veth pair (null when not isolated); gone after stop(). */
  hostInterface: string | null;
  /** Kills Janus, the namespace and the veth. Idempotent. */
  stop(): Promise<void>;
  /**
   * Kills Janus (SIGKILL, like a crash) and starts it again with the same config, namespace
   * and URLs. Sessions and rooms created without `permanent: true` are lost; rooms created
   * with `permanent: true` were written by Janus into this run's videoroom config and come back.
   */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** 10.77.N.0/30 per run; N is picked per run from 0..255. */
const SUBNET_PREFIX = '10.77.';
const LIB_DIR_CANDIDATES = [
  process.env.JANUS_LIB_DIR,
  '/usr/lib/x86_64-linux-gnu/janus',
  '/usr/lib/aarch64-linux-gnu/janus',
  '/usr/lib/janus',
  '/usr/local/lib/janus',
  '/opt/janus/lib/janus',
];

export async function startJanus(opts: StartJanusOptions = {}): Promise<JanusHandle> {
  const janusBin = which('janus');
  if (!janusBin) throw new Error('janus is not installed (Debian package `janus`)');
  const libDir = findJanusLibDir();
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'janus-'));
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'janus.log');

  const run = new JanusRun(janusBin, dir, ownDir, logFile);
  try {
    let net: NetSetup | null = null;
    const cannot = whyNoNamespace();
    if (cannot) {
      fallbackNotice(cannot);
    } else {
      try {
        net = await run.createNamespace();
      } catch (err) {
        // Root without CAP_SYS_ADMIN/CAP_NET_ADMIN (some containers) cannot do this.
        await run.dropNamespace();
        fallbackNotice(`no network namespace (${(err as Error).message.split('\n')[0]})`);
      }
    }
    const isolated = net !== null;
    // In the root namespace ports are shared with everything else here: take free ones.
    const bindAddress = net ? net.nsAddress : '127.0.0.1';
    const iceAddress = net ? net.nsAddress : '';
    const httpPort = net ? 8088 : await freePort();
    const wsPort = net ? 8188 : await freePort();
    const adminPort = net ? 7088 : await freePort();
    const adminKey = randomBytes(24).toString('hex');
    const adminSecret = randomBytes(24).toString('hex');
    writeConfig({
      dir,
      libDir,
      bindAddress,
      iceAddress,
      httpPort,
      wsPort,
      adminPort,
      adminKey,
      adminSecret,
      debugLevel: opts.debugLevel ?? 4,
    });
    const httpUrl = `http://${bindAddress}:${httpPort}/janus`;
    run.httpUrl = httpUrl;
    await run.startJanus();

    const forwarder = net ? await forwardFromLoopback(bindAddress, wsPort) : null;
    const stopForwarder = () => forwarder?.close() ?? Promise.resolve();
    const adminUrl = `http://${bindAddress}:${adminPort}/admin`;
    const handle: JanusHandle = {
      httpUrl,
      adminUrl,
      adminSecret,
      addToken: async (token = randomBytes(16).toString('base64url')) => {
        await adminPost(adminUrl, adminSecret, { janus: 'add_token', token, plugins: ['janus.plugin.videoroom'] });
        return token;
      },
      wsUrl: forwarder ? `ws://127.0.0.1:${forwarder.port}` : `ws://${bindAddress}:${wsPort}`,
      iceAddress,
      adminKey,
      get pid() {
        return run.janus?.pid ?? -1;
      },
      dir,
      logFile,
      isolated,
      hostInterface: run.net?.hostIf ?? null,
      stop: async () => {
        await stopForwarder();
        await run.stop();
      },
      restart: () => run.restart(),
    };
    return handle;
  } catch (err) {
    await run.stop({ keepDir: true });
    throw new Error(`${(err as Error).message} (Janus log: ${logFile})`, { cause: err });
  }
}

/**
 * A TCP forwarder from a free 127.0.0.1 port to host:port (Janus in its namespace). Each
 * connection is its own pair of sockets; when Janus goes away (a restart), the client's
 * socket closes with it, and the next connection reaches the new Janus.
 */
async function forwardFromLoopback(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('forwarder has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function whyNoNamespace(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  const missing = ['unshare', 'nsenter', 'ip'].filter((bin) => which(bin) === null);
  return missing.length > 0 ? `${missing.join(', ')} missing` : null;
}

function fallbackNotice(why: string): void {
  process.stderr.write(
    `[janus] ${why}: running Janus on 127.0.0.1 without a network namespace; ` +
      'media then needs a non-loopback interface on this machine\n',
  );
}

// ---------------------------------------------------------------------------------------------
// One run: holder process (namespace), veth, Janus process, cleanup.

interface NetSetup {
  n: number;
  hostIf: string;
  nsAddress: string;
  hostAddress: string;
}

const liveRuns = new Set<JanusRun>();

class JanusRun {
  holder: ChildProcess | null = null;
  janus: ChildProcess | null = null;
  net: NetSetup | null = null;
  httpUrl = '';
  private stopped = false;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly janusBin: string,
    private readonly dir: string,
    private readonly ownDir: boolean,
    private readonly logFile: string,
  ) {
    liveRuns.add(this);
    installExitHandlers();
  }

  async createNamespace(): Promise<NetSetup> {
    // `cat` reading our pipe keeps the namespace alive and exits by itself on EOF, i.e. when
    // this process dies for any reason; pdeathsig covers a parent that dies without closing.
    const holder = spawn(...withPdeathsig(['unshare', '--net', '--', 'cat']), {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.holder = holder;
    const pid = holder.pid;
    if (pid === undefined) throw new Error('could not spawn unshare');
    holder.stdin?.on('error', () => undefined);
    // A veth end moved to <pid> before unshare() ran would land in OUR namespace: wait.
    const ownNs = readlinkSync('/proc/self/ns/net');
    await until(
      () => {
        if (holder.exitCode !== null) throw new Error(`unshare exited with ${holder.exitCode}`);
        try {
          return readlinkSync(`/proc/${pid}/ns/net`) !== ownNs;
        } catch {
          return false;
        }
      },
      { timeoutMs: START_TIMEOUT_MS, what: 'the network namespace' },
    );

    const { n, hostIf, nsIf } = createVeth(pid);
    const nsAddress = `${SUBNET_PREFIX}${n}.1`;
    const hostAddress = `${SUBNET_PREFIX}${n}.2`;
    this.net = { n, hostIf, nsAddress, hostAddress };

    // No IPv6 on the host end: Chromium would otherwise offer link-local candidates on it.
    try {
      writeFileSync(`/proc/sys/net/ipv6/conf/${hostIf}/disable_ipv6`, '1');
    } catch {
      /* IPv6 disabled system-wide: nothing to do */
    }
    run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]);
    run('ip', ['link', 'set', hostIf, 'up']);
    // Inside: lo and the peer end, and deliberately no default route.
    run('nsenter', ['-t', String(pid), '-n', 'ip', '-batch', '-'], [
      'link set lo up',
      `addr add ${nsAddress}/30 dev ${nsIf}`,
      `link set ${nsIf} up`,
      '',
    ].join('\n'));
    return this.net;
  }

  /** Undoes a failed createNamespace() so that Janus can run without one. */
  async dropNamespace(): Promise<void> {
    this.holder?.stdin?.end();
    await killAndWait(this.holder, 'SIGKILL');
    this.holder = null;
    if (this.net && linkExists(this.net.hostIf)) {
      spawnSync('ip', ['link', 'del', this.net.hostIf], { stdio: 'ignore', timeout: 5_000 });
    }
    this.net = null;
  }

  async startJanus(): Promise<void> {
    const args = ['-F', this.dir, '-o'];
    const cmd = this.holder?.pid
      ? ['nsenter', '-t', String(this.holder.pid), '-n', '--', this.janusBin, ...args]
      : [this.janusBin, ...args];
    const logFd = openSync(this.logFile, 'a');
    let janus: ChildProcess;
    try {
      janus = spawn(...withPdeathsig(cmd), { stdio: ['ignore', logFd, logFd] });
    } finally {
      closeSync(logFd);
    }
    this.janus = janus;
    janus.on('error', () => undefined);
    const infoUrl = `${this.httpUrl}/info`;
    await until(
      async () => {
        if (janus.exitCode !== null || janus.signalCode !== null) {
          throw new Error(`janus exited (${janus.exitCode ?? janus.signalCode}): ${tail(this.logFile)}`);
        }
        try {
          const res = await fetch(infoUrl, { signal: AbortSignal.timeout(1_000) });
          const body = (await res.json()) as { janus?: string };
          return body.janus === 'server_info';
        } catch {
          return false;
        }
      },
      { timeoutMs: START_TIMEOUT_MS, what: `Janus to answer ${infoUrl}` },
    );
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error('Janus was stopped');
    await killAndWait(this.janus, 'SIGKILL');
    await this.startJanus();
  }

  stop(opts: { keepDir?: boolean } = {}): Promise<void> {
    this.stopping ??= this.doStop(opts.keepDir ?? false);
    return this.stopping;
  }

  private async doStop(keepDir: boolean): Promise<void> {
    this.stopped = true;
    await killAndWait(this.janus, 'SIGTERM');
    this.holder?.stdin?.end();
    await killAndWait(this.holder, 'SIGTERM');
    const hostIf = this.net?.hostIf;
    this.cleanupSync();
    // The kernel tears a dead namespace (and its veth) down asynchronously: wait, so that
    // "stopped" really means no interface left.
    if (hostIf) {
      await until(() => !linkExists(hostIf), { timeoutMs: STOP_TIMEOUT_MS, what: `${hostIf} to go away` }).catch((err: Error) =>
        process.stderr.write(`[janus] ${err.message}\n`),
      );
    }
    if (this.ownDir && !keepDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous part of the cleanup, also used from exit/signal handlers. */
  cleanupSync(opts: { removeOwnDir?: boolean } = {}): void {
    for (const child of [this.janus, this.holder]) {
      if (child?.pid && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    // The veth normally vanishes with the namespace; delete it anyway in case something
    // else (a stray nsenter) still holds the namespace.
    if (this.net && linkExists(this.net.hostIf)) {
      spawnSync('ip', ['link', 'del', this.net.hostIf], { stdio: 'ignore', timeout: 5_000 });
    }
    if (opts.removeOwnDir && this.ownDir) rmSync(this.dir, { recursive: true, force: true });
    liveRuns.delete(this);
    if (liveRuns.size === 0) removeExitHandlers();
  }
}

// ---------------------------------------------------------------------------------------------
// Config files.

function writeConfig(c: {
  dir: string;
  libDir: string;
  bindAddress: string;
  iceAddress: string;
  httpPort: number;
  wsPort: number;
  adminPort: number;
  adminKey: string;
  adminSecret: string;
  debugLevel: number;
}): void {
  // Folders holding only what we want loaded: nothing else can be picked up by accident
  // (event handlers, loggers, other transports such as pfunix/mqtt, other plugins).
  const folders = { plugins: ['libjanus_videoroom.so'], transports: ['libjanus_http.so', 'libjanus_websockets.so'], events: [], loggers: [] };
  for (const [name, libs] of Object.entries(folders)) {
    const target = join(c.dir, name);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target);
    for (const lib of libs) symlinkSync(join(c.libDir, name, lib), join(target, lib));
  }
  const nat = c.iceAddress
    ? `  ice_enforce_list = "${c.iceAddress}"\n`
    : '';
  writeFileSync(
    join(c.dir, 'janus.jcfg'),
    `# Generated for one test run by test/stack/janus.ts.
general: {
  configs_folder = "${c.dir}"
  plugins_folder = "${join(c.dir, 'plugins')}"
  transports_folder = "${join(c.dir, 'transports')}"
  events_folder = "${join(c.dir, 'events')}"
  loggers_folder = "${join(c.dir, 'loggers')}"
  debug_level = ${c.debugLevel}
  debug_timestamps = true
  server_name = "clinician-console-test"
  # Nobody reaches the client API without a token that the room guard stored through the
  # Admin API, which is on its own port with its own secret.
  token_auth = true
  admin_secret = "${c.adminSecret}"
${c.iceAddress ? `  interface = "${c.iceAddress}"\n` : ''}}
media: {
}
nat: {
  # No STUN/TURN: no lookups outside this machine.
${nat}  ignore_mdns = true
  nice_debug = false
}
plugins: {
}
transports: {
}
events: {
  broadcast = false
}
loggers: {
}
`,
  );
  writeFileSync(
    join(c.dir, 'janus.transport.http.jcfg'),
    `general: {
  json = "plain"
  base_path = "/janus"
  http = true
  port = ${c.httpPort}
  ip = "${c.bindAddress}"
  https = false
}
admin: {
  admin_base_path = "/admin"
  admin_http = true
  admin_port = ${c.adminPort}
  admin_ip = "${c.bindAddress}"
  admin_https = false
}
cors: {
}
`,
  );
  writeFileSync(
    join(c.dir, 'janus.transport.websockets.jcfg'),
    `general: {
  json = "plain"
  ws = true
  ws_port = ${c.wsPort}
  ws_ip = "${c.bindAddress}"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
cors: {
}
`,
  );
  // string_ids: room ids are unguessable strings (exists/listparticipants need no PIN).
  // admin_key: only its holder (the room guard) creates rooms; lock_rtp_forward: rtp_forward
  // needs it too, so a room's secret alone cannot copy its media anywhere.
  writeFileSync(
    join(c.dir, 'janus.plugin.videoroom.jcfg'),
    `general: {
  string_ids = true
  admin_key = "${c.adminKey}"
  lock_rtp_forward = true
}
`,
  );
}

export function findJanusLibDir(): string {
  for (const dir of LIB_DIR_CANDIDATES) {
    if (dir && existsSync(join(dir, 'plugins', 'libjanus_videoroom.so'))) return dir;
  }
  // Another architecture's multiarch folder.
  try {
    for (const entry of readdirSync('/usr/lib')) {
      const dir = join('/usr/lib', entry, 'janus');
      if (existsSync(join(dir, 'plugins', 'libjanus_videoroom.so'))) return dir;
    }
  } catch {
    /* no /usr/lib */
  }
  throw new Error('cannot find the Janus plugins folder (set JANUS_LIB_DIR)');
}

// ---------------------------------------------------------------------------------------------
// VideoRoom requests over the HTTP API, for tests (production host powers live in main/).

export interface VideoRoomResponse {
  videoroom?: string;
  error_code?: number;
  error?: string;
  [key: string]: unknown;
}

export class JanusApiError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'JanusApiError';
  }
}

/** What the Admin API needs: a JanusHandle, or its two fields. */
export type JanusAdminAccess = Pick<JanusHandle, 'adminUrl' | 'adminSecret'>;

/**
 * Sends one synchronous VideoRoom request (create, destroy, kick, exists, listparticipants,
 * edit, ...) through the Admin API's message_plugin (the client API needs a token) and
 * returns the plugin's data. Throws JanusApiError on a Janus or VideoRoom error.
 */
export async function videoroomRequest(janus: JanusAdminAccess, body: Record<string, unknown>): Promise<VideoRoomResponse> {
  const res = await adminPost(janus.adminUrl, janus.adminSecret, { janus: 'message_plugin', plugin: 'janus.plugin.videoroom', request: body });
  const data = res.response as VideoRoomResponse | undefined;
  if (!data) throw new JanusApiError(`unexpected VideoRoom reply: ${JSON.stringify(res)}`, 0);
  if (data.error_code) throw new JanusApiError(data.error ?? 'VideoRoom error', data.error_code);
  return data;
}

/** One Admin API request. */
export function adminPost(adminUrl: string, adminSecret: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  return janusPost(adminUrl, { ...body, admin_secret: adminSecret });
}

export interface CreateRoomOptions {
  /** Default: 32 random hex characters. */
  room?: string;
  /** The run's admin_key (JanusHandle.adminKey): Janus refuses `create` without it. */
  adminKey: string;
  pin?: string;
  secret: string;
  description?: string;
  publishers?: number;
  /** Written into this run's config by Janus, so the room survives `restart()`. */
  permanent?: boolean;
}

/** Creates a VideoRoom room; returns its id. */
export async function createRoom(janus: JanusAdminAccess, opts: CreateRoomOptions): Promise<string> {
  const room = opts.room ?? randomBytes(16).toString('hex');
  await videoroomRequest(janus, {
    request: 'create',
    room,
    admin_key: opts.adminKey,
    ...(opts.pin ? { pin: opts.pin } : {}),
    secret: opts.secret,
    description: opts.description ?? 'test room',
    publishers: opts.publishers ?? 6,
    is_private: true,
    permanent: opts.permanent ?? false,
  });
  return room;
}

async function janusPost(url: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, transaction: randomBytes(6).toString('hex') }),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (json.janus === 'error') {
    const e = json.error as { code: number; reason: string };
    throw new JanusApiError(e.reason, e.code);
  }
  return json;
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/**
 * Creates the veth pair for a free 10.77.N.0/30 and returns N. The host end's name encodes
 * N, so creating it is the atomic claim between concurrent runs (`ip link add` fails with
 * "File exists" for a taken N), and a crashed run's claim vanishes with its namespace.
 * Slots whose addresses or routes are already used on this machine are skipped.
 */
function createVeth(holderPid: number): { n: number; hostIf: string; nsIf: string } {
  const used = new Set<number>();
  for (const args of [['-o', '-4', 'addr', 'show'], ['-o', '-4', 'route', 'show', 'table', 'all']]) {
    const out = spawnSync('ip', args, { encoding: 'utf8', timeout: 5_000 }).stdout ?? '';
    for (const m of out.matchAll(/\b10\.77\.(\d{1,3})\./g)) used.add(Number(m[1]));
  }
  const start = process.pid % 256;
  for (let i = 0; i < 256; i++) {
    const n = (start + i) % 256;
    // ≤15 characters (IFNAMSIZ).
    const hostIf = `ccjanus${n}h`;
    const nsIf = `ccjanus${n}p`;
    if (used.has(n) || linkExists(hostIf)) continue;
    const res = spawnSync(
      'ip',
      ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', String(holderPid)],
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (res.status === 0) return { n, hostIf, nsIf };
    if (!/exists/i.test(res.stderr)) throw new Error(`ip link add ${hostIf} failed: ${res.stderr || res.error?.message}`);
  }
  throw new Error('no free 10.77.N.0/30 subnet');
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

function which(bin: string): string | null {
  const res = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8', timeout: 5_000 });
  const path = res.stdout.trim();
  return res.status === 0 && path ? path : null;
}

/** Prefixes setpriv --pdeathsig KILL when available: the child dies if we die. */
function withPdeathsig(cmd: string[]): [string, string[]] {
  const full = which('setpriv') ? ['setpriv', '--pdeathsig', 'KILL', '--', ...cmd] : cmd;
  return [full[0]!, full.slice(1)];
}

function run(cmd: string, args: string[], input?: string): void {
  const res = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 10_000 });
  if (res.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr || res.error?.message || res.status}`);
  }
}

async function killAndWait(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  if (!(await exitsWithin(exited, STOP_TIMEOUT_MS))) {
    child.kill('SIGKILL');
    await exitsWithin(exited, STOP_TIMEOUT_MS);
  }
}

/** True if `exited` settles within `ms`; the timer never outlives the wait. */
async function exitsWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function tail(file: string, lines = 15): string {
  return readFileSafe(file).trimEnd().split('\n').slice(-lines).join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Exit and signal handlers: never leave Janus, the holder or the veth behind.

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let handlersInstalled = false;

function cleanupAll(): void {
  for (const r of [...liveRuns]) r.cleanupSync({ removeOwnDir: true });
}

function onSignal(signal: NodeJS.Signals): void {
  cleanupAll();
  removeExitHandlers();
  // Keep the default behaviour (terminate) unless someone else handles this signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function removeExitHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.off('exit', cleanupAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}
