import net from 'node:net';
import { probeOverConnection, readGreetingLine, tlsContext } from './connection.ts';
import { answerErrorChallenge, classifyTokenRefusal, type OAuthChallenge, oauthInitialResponse, pickOAuthMechanism } from './oauth-sasl.ts';
import { ProbeError } from './probe-error.ts';
import type { ProbeRun } from './probe-run.ts';
import { authMechanisms, ehloKeywords, SmtpSession } from './smtp-session.ts';
import { buildTestMessage, isPlainAddress, TEST_SUBJECT } from './test-message.ts';
import { startTls } from './tls-inspect.ts';
import type { ProbeReport, SmtpProbeTarget } from './types.ts';
import type { Wire } from './wire.ts';

/** Our EHLO name: the address literal of our end of the connection (we may have no public name). */
function ehloName(wire: Wire): string {
  const local = wire.current.localAddress ?? '127.0.0.1';
  return net.isIPv6(local) ? `[IPv6:${local}]` : `[${local}]`;
}

async function greet(run: ProbeRun, wire: Wire, address: string, session: SmtpSession): Promise<void> {
  await run.stage('greeting', async (detail) => {
    const first = await readGreetingLine(run, wire, address, (l) => /^[1-5]\d\d([ -]|$)/.test(l));
    const reply = await session.readReply(first);
    detail.banner = reply.text.slice(0, 300);
    if (reply.code !== 220) throw session.refused(reply, 'protocol_error');
  });
}

async function ehlo(session: SmtpSession, name: string): Promise<string[]> {
  const reply = await session.command(`EHLO ${name}`);
  if (reply.code === 250) return ehloKeywords(reply);
  // A server without ESMTP: HELO works, but offers neither STARTTLS nor AUTH.
  const helo = await session.command(`HELO ${name}`);
  if (helo.code !== 250) throw session.refused(helo, 'protocol_error');
  return [];
}

async function upgrade(run: ProbeRun, wire: Wire, address: string, session: SmtpSession): Promise<void> {
  await run.stage('starttls', async (detail) => {
    const before = await ehlo(session, ehloName(wire));
    if (!before.includes('STARTTLS')) throw new ProbeError('starttls_unavailable', { detail: { extensions: before } });
    const reply = await session.command('STARTTLS');
    if (reply.code !== 220) throw new ProbeError('starttls_unavailable', { reply: reply.text });
    // Bytes sent before the handshake could be injected replies: refuse them.
    if (wire.hasBufferedData()) throw new ProbeError('protocol_error', { params: { why: 'data sent before the TLS handshake' } });
    Object.assign(detail, await startTls(wire, tlsContext(run, address, 'starttls')));
  });
}

/** AUTH XOAUTH2 (or OAUTHBEARER) with an initial response; a 334 error challenge is decoded and answered. */
async function authenticateWithToken(run: ProbeRun, session: SmtpSession, extensions: string[], accessToken: string): Promise<void> {
  const { target } = run;
  await run.stage('oauth', async (detail) => {
    const mechanisms = authMechanisms(extensions);
    detail.mechanisms = mechanisms;
    if (mechanisms.length === 0 && target.security === 'plain' && extensions.includes('STARTTLS')) {
      throw new ProbeError('plaintext_refused', {});
    }
    const mechanism = pickOAuthMechanism(mechanisms);
    if (!mechanism) throw new ProbeError('auth_method_unsupported', { params: { mechanisms: mechanisms.join(', ') || 'none' } });
    detail.method = mechanism;
    const payload = oauthInitialResponse(mechanism, target, accessToken);
    let reply = await session.command(`AUTH ${mechanism} ${payload}`, `AUTH ${mechanism} ***`);
    let challenge: OAuthChallenge | undefined;
    if (reply.code === 334) {
      const answer = answerErrorChallenge(mechanism, reply.lines[0] ?? '');
      challenge = answer.challenge;
      if (challenge) detail.challenge = challenge;
      reply = await session.command(answer.response, answer.shown);
    }
    if (reply.code !== 235) throw new ProbeError(classifyTokenRefusal(reply.text, challenge), { reply: reply.text });
  });
}

async function authenticate(run: ProbeRun, session: SmtpSession, extensions: string[]): Promise<void> {
  const { target } = run;
  if (target.accessToken) return authenticateWithToken(run, session, extensions, target.accessToken);
  await run.stage('auth', async (detail) => {
    const mechanisms = authMechanisms(extensions);
    detail.mechanisms = mechanisms;
    if (mechanisms.length === 0 && target.security === 'plain' && extensions.includes('STARTTLS')) {
      // Offered only after STARTTLS, the usual 587 setup.
      throw new ProbeError('plaintext_refused', {});
    }
    const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    let reply: Awaited<ReturnType<SmtpSession['command']>>;
    if (mechanisms.includes('PLAIN')) {
      detail.method = 'PLAIN';
      const token = b64(`\0${target.username}\0${target.secret}`);
      reply = await session.command(`AUTH PLAIN ${token}`, 'AUTH PLAIN ***');
    } else if (mechanisms.includes('LOGIN')) {
      detail.method = 'LOGIN';
      reply = await session.command('AUTH LOGIN');
      if (reply.code === 334) reply = await session.command(b64(target.username), `${b64(target.username)} (username)`);
      if (reply.code === 334) reply = await session.command(b64(target.secret), '***');
    } else {
      throw new ProbeError('auth_method_unsupported', { params: { mechanisms: mechanisms.join(', ') || 'none' } });
    }
    if (reply.code !== 235) throw session.refused(reply, 'auth_failed');
  });
}

async function sendTest(run: ProbeRun, session: SmtpSession, from: string, to: string): Promise<void> {
  await run.stage('send', async (detail) => {
    detail.from = from;
    detail.to = to;
    detail.subject = TEST_SUBJECT;
    if (!isPlainAddress(from) || !isPlainAddress(to)) {
      throw new ProbeError('send_failed', { params: { why: 'not a plain email address' } });
    }
    const mail = await session.command(`MAIL FROM:<${from}>`);
    if (mail.code !== 250) throw session.refused(mail, 'send_failed');
    const rcpt = await session.command(`RCPT TO:<${to}>`);
    if (rcpt.code !== 250 && rcpt.code !== 251) throw session.refused(rcpt, 'send_failed');
    const data = await session.command('DATA');
    if (data.code !== 354) throw session.refused(data, 'send_failed');
    const { raw, messageId } = buildTestMessage(from, to);
    detail.messageId = messageId;
    const done = await session.command(`${raw}\r\n.`, `(test message, ${Buffer.byteLength(raw)} bytes) .`);
    if (done.code !== 250) throw session.refused(done, 'send_failed');
    detail.reply = done.text.slice(0, 200);
  });
}

/**
 * The staged SMTP connection test: greeting, (STARTTLS), EHLO, AUTH and, with `sendTestTo`, a real
 * test message. Never throws; the report says what failed and how to fix it.
 */
export function probeSmtp(target: SmtpProbeTarget): Promise<ProbeReport> {
  return probeOverConnection('smtp', target, SmtpSession, async (run, { wire, address, session }) => {
    await greet(run, wire, address, session);
    if (target.security === 'starttls') await upgrade(run, wire, address, session);
    const extensions = await run.stage('ehlo', async (detail) => {
      const keywords = await ehlo(session, ehloName(wire));
      detail.extensions = keywords;
      return keywords;
    });
    await authenticate(run, session, extensions);
    if (target.sendTestTo) {
      const from = target.from ?? (target.username.includes('@') ? target.username : target.sendTestTo);
      await sendTest(run, session, from, target.sendTestTo);
    }
    await session.quit();
  });
}
