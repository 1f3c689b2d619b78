import { version } from '../../kernel/index.ts';
import { findProviderById } from '../catalogue/index.ts';
import { probeOverConnection, readGreetingLine, tlsContext } from './connection.ts';
import { capabilitiesIn, imapQuote, ImapSession } from './imap-session.ts';
import { classifyReply } from './classify.ts';
import { answerErrorChallenge, classifyTokenRefusal, type OAuthChallenge, oauthInitialResponse, pickOAuthMechanism } from './oauth-sasl.ts';
import { ProbeError } from './probe-error.ts';
import type { ProbeRun } from './probe-run.ts';
import { startTls } from './tls-inspect.ts';
import type { ProbeReport, ProbeTarget } from './types.ts';
import type { Wire } from './wire.ts';

const SHOWN_FOLDERS = 20;

/** RFC 2971 ID: NetEase refuses SELECT ("Unsafe Login") from clients that do not send it. */
const ID_COMMAND = `ID ("name" "Tidings" "version" "${version}" "vendor" "Tidings")`;

async function greet(run: ProbeRun, wire: Wire, address: string, session: ImapSession) {
  return run.stage('greeting', async (detail) => {
    const line = await readGreetingLine(run, wire, address, (l) => /^\* (OK|PREAUTH|BYE)\b/i.test(l));
    detail.greeting = line;
    if (/^\* BYE\b/i.test(line)) throw new ProbeError(classifyReply(line, 'protocol_error'), { reply: line });
    if (!/^\* (OK|PREAUTH)\b/i.test(line)) {
      throw new ProbeError('protocol_error', { reply: line, params: { why: 'not an IMAP greeting' } });
    }
    const capabilities = capabilitiesIn(line) ?? (await session.capabilities());
    detail.capabilities = capabilities;
    return { capabilities, preauth: /^\* PREAUTH\b/i.test(line) };
  });
}

async function upgrade(run: ProbeRun, wire: Wire, address: string, session: ImapSession, before: string[]) {
  return run.stage('starttls', async (detail) => {
    if (!before.includes('STARTTLS')) throw new ProbeError('starttls_unavailable', { detail: { capabilities: before } });
    const reply = await session.command('STARTTLS');
    if (reply.status !== 'OK') throw new ProbeError('starttls_unavailable', { reply: reply.text });
    // Anything sent before the handshake could be an injected response (CVE-2011-0411 style): refuse it.
    if (wire.hasBufferedData()) throw new ProbeError('protocol_error', { params: { why: 'data sent before the TLS handshake' } });
    Object.assign(detail, await startTls(wire, tlsContext(run, address, 'starttls')));
    // Capabilities must be asked again after STARTTLS (RFC 3501 §6.2.1): the pre-TLS list is not to be trusted.
    const capabilities = await session.capabilities();
    detail.capabilities = capabilities;
    return capabilities;
  });
}

/**
 * AUTHENTICATE XOAUTH2 (or OAUTHBEARER) with the target's access token, the initial response on the
 * command line when the server has SASL-IR. A server that refuses sends an error challenge ("+ " and
 * base64 JSON) first: it is decoded for the report and answered as the mechanism wants, then the NO comes.
 */
async function authenticateWithToken(
  run: ProbeRun,
  wire: Wire,
  session: ImapSession,
  caps: string[],
  accessToken: string,
): Promise<string[]> {
  const { target } = run;
  return run.stage('oauth', async (detail) => {
    const offered = caps.filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
    const mechanism = pickOAuthMechanism(offered);
    if (!mechanism) {
      throw new ProbeError('auth_method_unsupported', {
        detail: { capabilities: caps },
        params: { mechanisms: offered.join(', ') || 'none' },
      });
    }
    detail.method = `AUTHENTICATE ${mechanism}`;
    const payload = oauthInitialResponse(mechanism, target, accessToken);
    let payloadSent = caps.includes('SASL-IR');
    let challenge: OAuthChallenge | undefined;
    const onContinue = (line: string): void => {
      if (!payloadSent) {
        payloadSent = true;
        wire.writeLine(payload, '***');
        return;
      }
      const answer = answerErrorChallenge(mechanism, line.replace(/^\+ ?/, ''));
      challenge = answer.challenge;
      if (challenge) detail.challenge = challenge;
      wire.writeLine(answer.response, answer.shown);
    };
    const reply = payloadSent
      ? await session.command(`AUTHENTICATE ${mechanism} ${payload}`, `AUTHENTICATE ${mechanism} ***`, onContinue)
      : await session.command(`AUTHENTICATE ${mechanism}`, `AUTHENTICATE ${mechanism}`, onContinue);
    if (reply.status !== 'OK') throw new ProbeError(classifyTokenRefusal(reply.text, challenge), { reply: reply.text });
    return capabilitiesIn(reply.text) ?? (await session.capabilities());
  });
}

async function authenticate(run: ProbeRun, wire: Wire, session: ImapSession, caps: string[]): Promise<string[]> {
  const { target } = run;
  if (target.accessToken) return authenticateWithToken(run, wire, session, caps, target.accessToken);
  return run.stage('auth', async (detail) => {
    const mechanisms = caps.filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
    const loginAllowed = !caps.includes('LOGINDISABLED');
    const user = imapQuote(target.username);
    const pass = imapQuote(target.secret);
    let reply: Awaited<ReturnType<ImapSession['command']>>;
    if (loginAllowed && user && pass) {
      detail.method = 'LOGIN';
      reply = await session.command(`LOGIN ${user} ${pass}`, `LOGIN ${user} ***`);
    } else if (mechanisms.includes('PLAIN')) {
      detail.method = 'AUTHENTICATE PLAIN';
      const token = Buffer.from(`\0${target.username}\0${target.secret}`, 'utf8').toString('base64');
      let answered = false;
      reply = caps.includes('SASL-IR')
        ? await session.command(`AUTHENTICATE PLAIN ${token}`, 'AUTHENTICATE PLAIN ***')
        : await session.command('AUTHENTICATE PLAIN', 'AUTHENTICATE PLAIN', () => {
            // PLAIN takes one response; a second challenge is answered with "*" (cancel, RFC 3501 §6.2.2).
            wire.writeLine(answered ? '*' : token, answered ? '*' : '***');
            answered = true;
          });
    } else if (!loginAllowed && target.security === 'plain') {
      throw new ProbeError('plaintext_refused', { detail: { capabilities: caps } });
    } else {
      throw new ProbeError('auth_method_unsupported', {
        detail: { capabilities: caps },
        params: { mechanisms: mechanisms.join(', ') || (loginAllowed ? 'LOGIN' : 'none') },
      });
    }
    if (reply.status !== 'OK') throw session.refused(reply, 'auth_failed');
    // Servers often change capabilities after login (ID and extensions appear only now).
    return capabilitiesIn(reply.text) ?? (await session.capabilities());
  });
}

async function sendId(run: ProbeRun, session: ImapSession): Promise<void> {
  await run.stage('id', async (detail) => {
    const reply = await session.command(ID_COMMAND);
    detail.sent = ID_COMMAND.slice(3);
    detail.accepted = reply.status === 'OK';
    const server = reply.untagged.find((line) => /^\* ID\b/i.test(line));
    if (server) detail.server = server.slice(5, 300);
    // A refusal of ID itself is not fatal: SELECT will tell whether the server insists.
  });
}

async function listAndSelect(run: ProbeRun, session: ImapSession, idSent: boolean): Promise<void> {
  const params = { idSent: idSent ? 'yes' : 'no' };
  await run.stage('list', async (detail) => {
    // Top level only: a full "*" listing of a large account is slow and says nothing more here.
    const reply = await session.command('LIST "" "%"');
    if (reply.status !== 'OK') throw session.refused(reply, 'protocol_error', params);
    const names = reply.untagged
      .map((line) => /^\* LIST \([^)]*\) (?:"(?:[^"\\]|\\.)*"|NIL) (.*)$/i.exec(line)?.[1])
      .filter((name): name is string => name !== undefined)
      .map((name) => name.replace(/^"(.*)"$/, '$1'));
    detail.folders = names.length;
    detail.names = names.slice(0, SHOWN_FOLDERS);
  });
  await run.stage('select', async (detail) => {
    const reply = await session.command('SELECT INBOX');
    if (reply.status !== 'OK') throw session.refused(reply, 'mailbox_unavailable', params);
    for (const line of reply.untagged) {
      const exists = /^\* (\d+) EXISTS/i.exec(line);
      if (exists) detail.exists = Number(exists[1]);
      const validity = /\[UIDVALIDITY (\d+)\]/i.exec(line);
      if (validity) detail.uidValidity = Number(validity[1]);
    }
    detail.readOnly = /\[READ-ONLY\]/i.test(reply.text);
  });
}

/** The staged IMAP connection test ("测试连接"): never throws, the report says what failed and how to fix it. */
export function probeImap(target: ProbeTarget): Promise<ProbeReport> {
  return probeOverConnection('imap', target, ImapSession, async (run, { wire, address, session }) => {
    const greeting = await greet(run, wire, address, session);
    let caps = greeting.capabilities;
    if (target.security === 'starttls') caps = await upgrade(run, wire, address, session, caps);
    if (!greeting.preauth) caps = await authenticate(run, wire, session, caps);
    const provider = target.providerId ? findProviderById(target.providerId) : undefined;
    const idWanted = caps.includes('ID') || Boolean(provider?.quirks.includes('sends_imap_id'));
    if (idWanted) await sendId(run, session);
    await listAndSelect(run, session, idWanted);
    await session.logout();
  });
}
