/** Bounds so a chatty or hostile server cannot make a report huge. */
const MAX_LINES = 300;
const MAX_LINE_CHARS = 400;

/**
 * What was said on the wire, in order: "S: " server lines, "C: " our commands (secrets already
 * replaced by the caller), "-- " notes (TLS established, timeouts).
 */
export class Transcript {
  readonly lines: string[] = [];
  private dropped = 0;

  server(line: string): void {
    this.push(`S: ${line}`);
  }

  client(shown: string): void {
    this.push(`C: ${shown}`);
  }

  note(text: string): void {
    this.push(`-- ${text}`);
  }

  toArray(): string[] {
    return this.dropped > 0 ? [...this.lines, `-- ${this.dropped} more lines not kept`] : [...this.lines];
  }

  private push(line: string): void {
    if (this.lines.length >= MAX_LINES) {
      this.dropped += 1;
      return;
    }
    // Control characters would make the transcript unreadable (and could fake extra lines).
    const clean = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
    this.lines.push(clean.length > MAX_LINE_CHARS ? `${clean.slice(0, MAX_LINE_CHARS)}…` : clean);
  }
}
