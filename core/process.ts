/** True unless the process is known to be gone (a process of another user still counts as alive). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const onInterrupt = new Set<() => void>();

/** Work an interrupted run (SIGINT, SIGTERM) must undo before it ends; returns its removal. */
export function whenInterrupted(undo: () => void): () => void {
  onInterrupt.add(undo);
  return () => onInterrupt.delete(undo);
}

/** Runs what interrupted runs must undo; each step runs once, whatever the others do. */
export function undoOnInterrupt(): void {
  for (const undo of onInterrupt) {
    try {
      undo();
    } catch {
      // The process is ending: what one step cannot undo, the next run's sweep removes.
    }
  }
  onInterrupt.clear();
}
