import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * What the processes of a test hold, read from Linux's /proc: descendants of a process, processes
 * by command line, and the listening sockets among their file descriptors.
 */

/** Whether /proc can be read here (Linux). */
export function haveProc(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

/** Process ids now running. */
function pids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/** The parent of `pid`, or null when it has gone. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of pids()) {
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: number[] = [];
  const queue = [root];
  for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** The arguments of `pid`, or null when it has gone. */
export function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return null;
  }
}

/** Processes with an argument containing `text`. */
export function processesWithArgument(text: string): number[] {
  return pids().filter((pid) => commandLine(pid)?.some((a) => a.includes(text)) === true);
}

/** Socket inodes among the open file descriptors of `pid`. */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m !== null) out.add(m[1] as string);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/**
 * Listening sockets held by `processes`: TCP (IPv4, IPv6) in the LISTEN state, bound UDP sockets,
 * and listening Unix sockets, each as `tcp 127.0.0.1:PORT`-like text (Unix: its path, `@` for the
 * abstract namespace).
 */
export function listeningSockets(processes: readonly number[]): string[] {
  const held = new Set<string>();
  for (const pid of processes) for (const inode of socketInodes(pid)) held.add(inode);
  const out: string[] = [];
  const table = (file: string): string[] => {
    try {
      return readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
    } catch {
      return [];
    }
  };
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6']) {
    for (const line of table(`/proc/net/${proto}`)) {
      const f = line.trim().split(/\s+/);
      const listening = proto.startsWith('tcp') ? f[3] === '0A' : true;
      if (listening && held.has(f[9] as string)) out.push(`${proto} ${f[1]}`);
    }
  }
  for (const line of table('/proc/net/unix')) {
    const f = line.trim().split(/\s+/);
    // Flags 00010000: __SO_ACCEPTCON, a listening socket.
    if ((parseInt(f[3] as string, 16) & 0x10000) !== 0 && held.has(f[6] as string)) out.push(`unix ${f[7] ?? '(unnamed)'}`);
  }
  return out;
}
