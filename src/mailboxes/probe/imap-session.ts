import { classifyReply } from './classify.ts';
import { ProbeError } from './probe-error.ts';
import type { ProbeFailureCode } from './types.ts';
import { WireClosed, type Wire } from './wire.ts';

export interface TaggedReply {
  status: 'OK' | 'NO' | 'BAD';
  /** The tagged line without its tag: "NO [AUTHENTICATIONFAILED] Authentication failed." */
  text: string;
  untagged: string[];
}

/** The response code's or untagged CAPABILITY list, upper-cased; undefined if the line has none. */
export function capabilitiesIn(line: string): string[] | undefined {
  const match = /^\* CAPABILITY (.*)$/i.exec(line) ?? /\[CAPABILITY ([^\]]*)\]/i.exec(line);
  return match
    ? match[1]
        .trim()
        .split(/\s+/)
        .map((c) => c.toUpperCase())
    : undefined;
}

/** An IMAP quoted string, or null when the value needs a literal (8-bit, CR/LF, NUL). */
export function imapQuote(value: string): string | null {
  if (/[^\x01-\x09\x0b\x0c\x0e-\x7f]/.test(value)) return null;
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Just enough IMAP to probe: tagged commands, untagged responses, literals, continuations, BYE. */
export class ImapSession {
  private counter = 0;

  constructor(
    private readonly wire: Wire,
    private readonly timeoutMs: number,
  ) {}

  /** One response, with any literals folded in (LIST and ID replies may carry them). */
  async readResponse(): Promise<string> {
    let line = await this.wire.readLine(this.timeoutMs);
    for (let literal = /\{(\d+)\+?\}$/.exec(line); literal; literal = /\{(\d+)\+?\}$/.exec(line)) {
      const bytes = await this.wire.readBytes(Number(literal[1]), this.timeoutMs);
      line = `${line.slice(0, literal.index)}"${bytes.toString('utf8').replace(/[\r\n"]/g, ' ')}"${await this.wire.readLine(this.timeoutMs)}`;
    }
    return line;
  }

  /**
   * Sends a command and reads until its tagged reply. `shown` is what the transcript records (secrets
   * replaced). `onContinue` answers "+" continuations (SASL); without it a continuation is an error.
   * A refusal is returned, not thrown: the caller classifies it for its stage.
   */
  async command(command: string, shown: string = command, onContinue?: (line: string) => void): Promise<TaggedReply> {
    this.counter += 1;
    const tag = `t${this.counter}`;
    this.wire.writeLine(`${tag} ${command}`, `${tag} ${shown}`);
    const untagged: string[] = [];
    let bye: string | undefined;
    try {
      for (;;) {
        const line = await this.readResponse();
        if (line.startsWith(`${tag} `)) {
          const match = /^\S+ (OK|NO|BAD)\b ?(.*)$/i.exec(line);
          if (!match) throw new ProbeError('protocol_error', { reply: line, params: { why: 'unreadable tagged reply' } });
          const status = match[1].toUpperCase() as TaggedReply['status'];
          return { status, text: `${status} ${match[2]}`.trim(), untagged };
        }
        if (line.startsWith('+')) {
          if (!onContinue) throw new ProbeError('protocol_error', { reply: line, params: { why: 'unexpected continuation' } });
          onContinue(line);
          continue;
        }
        if (/^\* BYE\b/i.test(line)) bye = line;
        untagged.push(line);
      }
    } catch (err) {
      // The server said goodbye and hung up: its BYE text is the explanation ("Too many connections").
      if (err instanceof WireClosed && bye) {
        throw new ProbeError(classifyReply(bye, 'protocol_error'), { reply: bye, cause: err });
      }
      throw err;
    }
  }

  /** Throws the classified failure for a refused command. */
  refused(reply: TaggedReply, fallback: ProbeFailureCode, params: Record<string, string> = {}): ProbeError {
    const code = classifyReply(reply.text, reply.status === 'BAD' && fallback !== 'auth_failed' ? 'protocol_error' : fallback);
    return new ProbeError(code, { reply: reply.text, params });
  }

  async capabilities(): Promise<string[]> {
    const reply = await this.command('CAPABILITY');
    if (reply.status !== 'OK') throw this.refused(reply, 'protocol_error');
    for (const line of reply.untagged) {
      const caps = capabilitiesIn(line);
      if (caps) return caps;
    }
    return capabilitiesIn(reply.text) ?? [];
  }

  /** LOGOUT politely; the wire is destroyed by the caller either way. */
  async logout(): Promise<void> {
    try {
      await this.command('LOGOUT');
    } catch {
      // The server may close before its tagged OK; the probe's result is already decided.
    }
  }
}
