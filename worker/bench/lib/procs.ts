/**
 * Process plumbing for the serving benchmark: free loopback ports, spawning a server in its own
 * process group (so it and every grandchild can be ended by group id), reading the process tree,
 * memory and CPU time from /proc, and a registry that ends every spawned group on any exit.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Every group we spawned, ended on exit, on error and on signals.

const liveGroups = new Set<number>();

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function killAllSync(): void {
  for (const pgid of liveGroups) {
    for (const pid of descendants(pgid)) killPid(pid, 'SIGKILL'); // in case one left the group
    killGroup(pgid, 'SIGKILL');
  }
  liveGroups.clear();
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the servers`);
      killAllSync();
      process.exit(130);
    });
  }
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Spawn time, performance.now() clock. */
  startedAt: number;
  /** Last lines of stdout+stderr, for error messages. */
  tail(): string;
  /** What the process printed so far (the first 64 KB and the last 256 KB or so). */
  log(): string;
  /** Called with every chunk of stdout or stderr from now on. */
  onOutput(listener: (text: string) => void): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** SIGTERM to the whole group (and stragglers), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `command` as the leader of a new process group; stdin closed, output captured. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): Spawned {
  installExitHandlers();
  const startedAt = performance.now();
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  const pid = child.pid;
  liveGroups.add(pid);
  // Servers under load may log a line per request: keep the first 64 KB and the last ~256 KB only.
  let head = '';
  let tail: string[] = [];
  let tailLength = 0;
  let dropped = 0;
  const listeners: ((text: string) => void)[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    for (const listener of listeners) listener(text);
    if (head.length < 65_536) {
      head += text;
      return;
    }
    tail.push(text);
    tailLength += text.length;
    if (tailLength > 512_000) {
      const keep: string[] = [];
      let kept = 0;
      for (let i = tail.length - 1; i >= 0 && kept < 256_000; i--) {
        keep.unshift(tail[i]);
        kept += tail[i].length;
      }
      dropped += tailLength - kept;
      tail = keep;
      tailLength = kept;
    }
  };
  const output = () => head + (dropped ? `\n[… ${dropped} characters of output not kept …]\n` : '') + tail.join('');
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.on('error', (error) => {
      done = true;
      head += `\nspawn error: ${error.message}`;
      resolve({ code: null, signal: null });
    });
  });
  return {
    child,
    pid,
    startedAt,
    tail: () => output().split('\n').slice(-25).join('\n'),
    log: output,
    onOutput: (listener) => listeners.push(listener),
    exited,
    hasExited: () => done,
    async stop(graceMs = 5000) {
      const stragglers = descendants(pid);
      killGroup(pid, 'SIGTERM');
      for (const p of stragglers) killPid(p, 'SIGTERM');
      const deadline = performance.now() + graceMs;
      while (performance.now() < deadline && (groupAlive(pid) || stragglers.some(alive))) {
        await sleep(50);
      }
      killGroup(pid, 'SIGKILL');
      for (const p of stragglers) if (alive(p)) killPid(p, 'SIGKILL');
      liveGroups.delete(pid);
      await Promise.race([exited, sleep(1000)]);
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// /proc

export interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** user + system CPU time, in clock ticks. */
  cpuTicks: number;
}

export const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every x86-64 and arm64 kernel

export function readStat(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' '); // fields[0] is state (field 3)
    return { pid, ppid: Number(fields[1]), comm, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/**
 * CPU time the kernel has charged to every thread of `pid`, in nanoseconds (schedstat's first
 * field: exact, unlike /proc/pid/stat's 10 ms ticks), or to its main thread alone. Null once the
 * process is gone.
 */
export function cpuNs(pid: number, { mainThreadOnly = false } = {}): number | null {
  try {
    let ns = 0;
    for (const tid of mainThreadOnly ? [String(pid)] : readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that just exited
      }
    }
    return ns;
  } catch {
    return null;
  }
}

function allProcs(): ProcInfo[] {
  const procs: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readStat(Number(name));
    if (info) procs.push(info);
  }
  return procs;
}

/** `root` and all its descendants (root first). */
export function tree(root: number): ProcInfo[] {
  const procs = allProcs();
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const rootInfo = procs.find((p) => p.pid === root);
  if (!rootInfo) return [];
  const out: ProcInfo[] = [];
  const stack = [rootInfo];
  while (stack.length) {
    const p = stack.shift()!;
    out.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

function descendants(root: number): number[] {
  return tree(root)
    .map((p) => p.pid)
    .filter((pid) => pid !== root);
}

export function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** VmRSS and VmHWM (peak RSS) in KiB, or null if the process is gone. */
export function memory(pid: number): { rssKiB: number; hwmKiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    if (!rss || !hwm) return null;
    return { rssKiB: Number(rss[1]), hwmKiB: Number(hwm[1]) };
  } catch {
    return null;
  }
}

/** Busy and total CPU ticks of the whole machine (all cores), from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice (guest is already in user)
  const idle = v[3] + v[4];
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

// ---------------------------------------------------------------------------------------------
// Memory sampling of a process tree

export interface ProcessPeak {
  pid: number;
  role: string;
  command: string;
  /** Peak RSS seen by the kernel (VmHWM), MiB. */
  peak_rss_mib: number;
  /** Last sampled RSS, MiB. */
  last_rss_mib: number;
}

/**
 * Samples the tree under `root` every `intervalMs`: per process VmHWM (kernel peak) and the peak
 * of the summed VmRSS over the whole tree. `classify` names each process's role.
 */
export class TreeSampler {
  private readonly seen = new Map<number, ProcessPeak>();
  private peakSumKiB = 0;
  private readonly peakSumByRoleKiB = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: number,
    private readonly classify: (pid: number, args: string[], depth: number) => string,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.sample();
    if (this.timer) clearInterval(this.timer);
  }

  /** Current pids with their roles. */
  processes(): ProcessPeak[] {
    return [...this.seen.values()];
  }

  sample(): void {
    const procs = tree(this.root);
    const depth = new Map<number, number>([[this.root, 0]]);
    let sum = 0;
    const byRole = new Map<string, number>();
    for (const p of procs) {
      const d = p.pid === this.root ? 0 : (depth.get(p.ppid) ?? 0) + 1;
      depth.set(p.pid, d);
      const mem = memory(p.pid);
      if (!mem) continue;
      let entry = this.seen.get(p.pid);
      if (!entry) {
        const args = cmdline(p.pid);
        if (!args.length) continue; // between fork and exec: classify it at the next sample
        entry = { pid: p.pid, role: this.classify(p.pid, args, d), command: shorten(args), peak_rss_mib: 0, last_rss_mib: 0 };
        this.seen.set(p.pid, entry);
      }
      entry.peak_rss_mib = Math.max(entry.peak_rss_mib, mem.hwmKiB / 1024);
      entry.last_rss_mib = mem.rssKiB / 1024;
      sum += mem.rssKiB;
      byRole.set(entry.role, (byRole.get(entry.role) ?? 0) + mem.rssKiB);
    }
    this.peakSumKiB = Math.max(this.peakSumKiB, sum);
    for (const [role, kib] of byRole) this.peakSumByRoleKiB.set(role, Math.max(this.peakSumByRoleKiB.get(role) ?? 0, kib));
  }

  /** RSS (MiB) now, summed by role. */
  rssByRole(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of tree(this.root)) {
      const role = this.seen.get(p.pid)?.role;
      const mem = memory(p.pid);
      if (role && mem) out[role] = (out[role] ?? 0) + mem.rssKiB / 1024;
    }
    return out;
  }

  /** CPU ticks used so far by the tree's live processes, by role. */
  cpuTicksByRole(): Map<string, number> {
    const out = new Map<string, number>();
    for (const p of tree(this.root)) {
      const role = this.seen.get(p.pid)?.role ?? 'other';
      out.set(role, (out.get(role) ?? 0) + p.cpuTicks);
    }
    return out;
  }

  summary() {
    return {
      peak_tree_rss_mib: this.peakSumKiB / 1024,
      peak_rss_by_role_mib: Object.fromEntries([...this.peakSumByRoleKiB].map(([role, kib]) => [role, kib / 1024])),
      processes: this.processes(),
    };
  }
}

function shorten(args: string[]): string {
  const text = args.map((a) => a.replace(process.cwd() + '/', '')).join(' ');
  return text.length > 200 ? text.slice(0, 197) + '...' : text;
}
