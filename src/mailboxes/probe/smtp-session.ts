import { classifyReply } from './classify.ts';
import { ProbeError } from './probe-error.ts';
import type { ProbeFailureCode } from './types.ts';
import type { Wire } from './wire.ts';

export interface SmtpReply {
  code: number;
  /** All lines joined with spaces, codes included: "535 5.7.8 Authentication credentials invalid". */
  text: string;
  /** The lines' texts without their codes (EHLO keywords). */
  lines: string[];
}

/** Just enough SMTP to probe: multi-line replies and commands whose shown form can hide secrets. */
export class SmtpSession {
  constructor(
    private readonly wire: Wire,
    private readonly timeoutMs: number,
  ) {}

  /** Reads one (possibly multi-line "250-…") reply; `first` is a line already read (the greeting's). */
  async readReply(first?: string): Promise<SmtpReply> {
    const lines: string[] = [];
    const raw: string[] = [];
    let line = first ?? (await this.wire.readLine(this.timeoutMs));
    for (;;) {
      const match = /^(\d{3})([ -]|$)(.*)$/.exec(line);
      if (!match) throw new ProbeError('protocol_error', { reply: line, params: { why: 'not an SMTP reply' } });
      raw.push(line);
      lines.push(match[3]);
      if (match[2] !== '-') return { code: Number(match[1]), text: raw.join(' '), lines };
      if (lines.length > 200) throw new ProbeError('protocol_error', { params: { why: 'endless multi-line reply' } });
      line = await this.wire.readLine(this.timeoutMs);
    }
  }

  async command(command: string, shown: string = command): Promise<SmtpReply> {
    this.wire.writeLine(command, shown);
    return this.readReply();
  }

  refused(reply: SmtpReply, fallback: ProbeFailureCode, params: Record<string, string> = {}): ProbeError {
    return new ProbeError(classifyReply(reply.text, fallback, reply.code), { reply: reply.text, params });
  }

  async quit(): Promise<void> {
    try {
      await this.command('QUIT');
    } catch {
      // Servers may hang up straight after 221 or before; the result is already decided.
    }
  }
}

/** EHLO keywords upper-cased ("AUTH PLAIN LOGIN", "STARTTLS", "SIZE 35882577"). */
export function ehloKeywords(reply: SmtpReply): string[] {
  return reply.lines.slice(1).map((line) => line.trim().toUpperCase());
}

/** SASL mechanisms from "AUTH PLAIN LOGIN" and the old "AUTH=PLAIN LOGIN" form. */
export function authMechanisms(keywords: string[]): string[] {
  const found = new Set<string>();
  for (const keyword of keywords) {
    const match = /^AUTH[ =](.*)$/.exec(keyword);
    if (match) for (const mechanism of match[1].trim().split(/\s+/)) found.add(mechanism);
  }
  return [...found];
}
