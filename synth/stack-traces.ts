/**
 * cdktf records a full stack trace for every token it creates, only to quote it in error
 * messages. Building large estates spends a fifth of its time there, so outside `--debug` the
 * capture is skipped while stacks are built and synthesized, and restored afterwards.
 */
export function withoutStackTraces<T>(work: () => T): T {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    return work();
  } finally {
    Error.captureStackTrace = capture;
  }
}
