/**
 * Which date a message sorts by. The Date header is written by the sender's client and may lie (spam
 * dated year 3609 would sit at the top of every list forever; a client with a dead clock says 1970);
 * the server's received date (IMAP INTERNALDATE, Graph receivedDateTime, EWS DateTimeReceived) is the
 * server's own. The header wins when it is believable, since it is what the sender's and every other
 * client show; both are stored (messages.header_date, messages.received_at).
 */

/** A header this far after the received date is implausible: clocks and time zones err by hours, not days. */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;
/** Internet mail as Tidings meets it is younger than this: earlier header dates are broken clocks. */
export const EARLIEST_PLAUSIBLE = new Date('1990-01-01T00:00:00Z');

/** True when the header date cannot be when the message was written, judged against `received` (or now). */
export function isImplausibleDate(header: Date, received: Date | null, now: Date = new Date()): boolean {
  const reference = received ?? now;
  if (header.getTime() > reference.getTime() + FUTURE_TOLERANCE_MS) return true;
  return header < EARLIEST_PLAUSIBLE && reference >= EARLIEST_PLAUSIBLE;
}

/**
 * The date to sort and show the message by: the header's when it is plausible, else the received date
 * (or, without one, `now`: when Tidings first saw it). Null only when neither date is known.
 */
export function sortDate(header: Date | null, received: Date | null, now: Date = new Date()): Date | null {
  if (!header || Number.isNaN(header.getTime())) return received;
  return isImplausibleDate(header, received, now) ? (received ?? now) : header;
}
