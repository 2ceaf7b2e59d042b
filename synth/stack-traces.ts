/**
 * cdktf records a full stack trace for every token it creates, only to quote it in error
 * messages. Building large estates spends a fifth of its time there, so unless `--debug` asked
 * for them the capture is skipped while stacks are built and synthesized, and restored after.
 */
let keep = false;

/** `--debug`: keep cdktf's creation traces so its errors point at the construct that failed. */
export function keepStackTraces(on: boolean): void {
  keep = on;
}

export function withoutStackTraces<T>(work: () => T): T {
  if (keep) return work();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    return work();
  } finally {
    Error.captureStackTrace = capture;
  }
}
