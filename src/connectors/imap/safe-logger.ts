/** The part of a pino logger the connector uses. */
export interface LoggerLike {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** imapflow's logger contract: one function per level, each taking an object. */
export interface ImapFlowLogger {
  trace(obj: unknown): void;
  debug(obj: unknown): void;
  info(obj: unknown): void;
  warn(obj: unknown): void;
  error(obj: unknown): void;
  fatal(obj: unknown): void;
}

function pick(entry: unknown, secrets: readonly string[]): Record<string, unknown> {
  const e = (entry && typeof entry === 'object' ? entry : { msg: String(entry) }) as Record<string, unknown>;
  const err = e.err as { code?: unknown; message?: unknown } | undefined;
  const scrub = (value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    let text = String(value);
    for (const s of secrets) if (s) text = text.split(s).join('[redacted]');
    return text;
  };
  // Only a few plain fields pass: imapflow's entries can carry whole command payloads.
  return {
    cid: e.cid,
    msg: scrub(e.msg),
    code: scrub(err?.code ?? e.code),
    error: scrub(err?.message),
  };
}

/**
 * Adapts a pino-like logger for imapflow. Protocol chatter (trace/debug/info) is dropped; warnings and
 * errors pass with a handful of plain fields, any occurrence of a secret replaced.
 */
export function imapflowLogger(logger: LoggerLike | undefined, secrets: readonly string[]): ImapFlowLogger | false {
  if (!logger) return false;
  const drop = (): void => {};
  return {
    trace: drop,
    debug: drop,
    info: drop,
    warn: (entry) => logger.warn(pick(entry, secrets), 'imap'),
    error: (entry) => logger.error(pick(entry, secrets), 'imap'),
    fatal: (entry) => logger.error(pick(entry, secrets), 'imap'),
  };
}
