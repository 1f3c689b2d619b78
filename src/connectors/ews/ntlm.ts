/**
 * NTLMv2 as [MS-NLMP] defines it: the NEGOTIATE, CHALLENGE and AUTHENTICATE messages of NTLMSSP and the
 * NTLMv2 response, for both sides (the connector signs in; the test harness checks a password). Kerberos
 * is not offered: servers that allow only Kerberos need NTLM or Basic switched on for Tidings.
 * No signing or sealing: the HTTP connection is protected by TLS, so only authentication is needed.
 */
import { createHmac, randomBytes } from 'node:crypto';
import md4 from 'js-md4';

export const NTLMSSP_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** Negotiate flags ([MS-NLMP] 2.2.2.5) we ask for or offer. */
export const NegotiateFlag = {
  UNICODE: 0x00000001,
  REQUEST_TARGET: 0x00000004,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  N128: 0x20000000,
  N56: 0x80000000,
} as const;

const CLIENT_FLAGS =
  NegotiateFlag.UNICODE |
  NegotiateFlag.REQUEST_TARGET |
  NegotiateFlag.NTLM |
  NegotiateFlag.ALWAYS_SIGN |
  NegotiateFlag.EXTENDED_SESSIONSECURITY |
  NegotiateFlag.TARGET_INFO |
  NegotiateFlag.N128 |
  NegotiateFlag.N56;

export class NtlmError extends Error {
  readonly code = 'ntlm_bad_message';
}

/** DOMAIN\user or user@domain (UPN: the domain stays empty, as Windows sends it). */
export function splitUsername(username: string): { user: string; domain: string } {
  const slash = username.indexOf('\\');
  if (slash >= 0) return { domain: username.slice(0, slash), user: username.slice(slash + 1) };
  return { domain: '', user: username };
}

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const hmacMd5 = (key: Buffer, ...data: Buffer[]) => {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
};

/** NTOWFv1: MD4 of the UTF-16LE password (the NT hash). */
export function ntHash(password: string): Buffer {
  return Buffer.from(md4.arrayBuffer(utf16(password)));
}

/** NTOWFv2 ([MS-NLMP] 3.3.2): HMAC-MD5 keyed by the NT hash over UPPER(user) + domain. */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(ntHash(password), utf16(user.toUpperCase() + domain));
}

/** Windows FILETIME: 100 ns ticks since 1601-01-01, little-endian. */
export function fileTime(date: Date): Buffer {
  const ticks = (BigInt(date.getTime()) + 11644473600000n) * 10000n;
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(ticks);
  return out;
}

/** The NTLMv2_CLIENT_CHALLENGE ("temp" in [MS-NLMP] 3.3.2). */
export function clientBlob(time: Buffer, clientChallenge: Buffer, targetInfo: Buffer): Buffer {
  return Buffer.concat([Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), time, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
}

export interface Ntlmv2Responses {
  ntProofStr: Buffer;
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  sessionBaseKey: Buffer;
}

/** ComputeResponse for NTLMv2 ([MS-NLMP] 3.3.2). */
export function ntlmv2Responses(
  responseKey: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
  time: Buffer,
  targetInfo: Buffer,
): Ntlmv2Responses {
  const temp = clientBlob(time, clientChallenge, targetInfo);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, temp);
  return {
    ntProofStr,
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse: Buffer.concat([hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge]),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

function header(type: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  NTLMSSP_SIGNATURE.copy(b, 0);
  b.writeUInt32LE(type, 8);
  return b;
}

function checkHeader(msg: Buffer, type: number): void {
  if (msg.length < 12 || !msg.subarray(0, 8).equals(NTLMSSP_SIGNATURE) || msg.readUInt32LE(8) !== type) {
    throw new NtlmError(`not an NTLMSSP type ${type} message`);
  }
}

/** A security buffer (length, max length, offset) read with its bounds checked. */
function field(msg: Buffer, at: number): Buffer {
  if (msg.length < at + 8) throw new NtlmError('NTLM message truncated');
  const len = msg.readUInt16LE(at);
  const offset = msg.readUInt32LE(at + 4);
  if (offset + len > msg.length) throw new NtlmError('NTLM field outside the message');
  return msg.subarray(offset, offset + len);
}

/** Lays out payload fields after a fixed header, writing their security buffers at the given offsets. */
function withPayload(fixed: Buffer, fields: Array<[at: number, data: Buffer]>): Buffer {
  let offset = fixed.length;
  for (const [at, data] of fields) {
    fixed.writeUInt16LE(data.length, at);
    fixed.writeUInt16LE(data.length, at + 2);
    fixed.writeUInt32LE(offset, at + 4);
    offset += data.length;
  }
  return Buffer.concat([fixed, ...fields.map(([, d]) => d)]);
}

/** NEGOTIATE_MESSAGE: no domain or workstation supplied. */
export function negotiateMessage(): Buffer {
  const b = header(1, 32);
  b.writeUInt32LE(CLIENT_FLAGS >>> 0, 12);
  return b;
}

export interface ChallengeMessage {
  flags: number;
  serverChallenge: Buffer;
  targetName: Buffer;
  targetInfo: Buffer;
}

export function parseChallengeMessage(msg: Buffer): ChallengeMessage {
  checkHeader(msg, 2);
  if (msg.length < 48) throw new NtlmError('NTLM challenge truncated');
  const flags = msg.readUInt32LE(20);
  return {
    flags,
    targetName: field(msg, 12),
    serverChallenge: msg.subarray(24, 32),
    targetInfo: flags & NegotiateFlag.TARGET_INFO ? field(msg, 40) : Buffer.alloc(0),
  };
}

/** AV pairs ([MS-NLMP] 2.2.2.1) naming the server, ended by MsvAvEOL. */
export function targetInfoOf(pairs: { nbDomain: string; nbComputer: string; timestamp?: Date }): Buffer {
  const pair = (id: number, value: Buffer) => {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(id, 0);
    h.writeUInt16LE(value.length, 2);
    return Buffer.concat([h, value]);
  };
  return Buffer.concat([
    pair(2, utf16(pairs.nbDomain)),
    pair(1, utf16(pairs.nbComputer)),
    ...(pairs.timestamp ? [pair(7, fileTime(pairs.timestamp))] : []),
    Buffer.alloc(4),
  ]);
}

export function challengeMessage(opts: { serverChallenge: Buffer; targetName: string; targetInfo: Buffer }): Buffer {
  const fixed = header(2, 56);
  fixed.writeUInt32LE((CLIENT_FLAGS | 0x00020000) >>> 0, 20); // 0x00020000: TARGET_TYPE_DOMAIN
  opts.serverChallenge.copy(fixed, 24);
  return withPayload(fixed, [
    [12, utf16(opts.targetName)],
    [40, opts.targetInfo],
  ]);
}

export interface AuthenticateMessage {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
}

export function authenticateMessage(opts: AuthenticateMessage): Buffer {
  const fixed = header(3, 64);
  fixed.writeUInt32LE(opts.flags, 60);
  return withPayload(fixed, [
    [28, utf16(opts.domain)],
    [36, utf16(opts.user)],
    [44, utf16(opts.workstation)],
    [12, opts.lmChallengeResponse],
    [20, opts.ntChallengeResponse],
    [52, Buffer.alloc(0)],
  ]);
}

export function parseAuthenticateMessage(msg: Buffer): AuthenticateMessage {
  checkHeader(msg, 3);
  if (msg.length < 64) throw new NtlmError('NTLM authenticate message truncated');
  return {
    lmChallengeResponse: field(msg, 12),
    ntChallengeResponse: field(msg, 20),
    domain: field(msg, 28).toString('utf16le'),
    user: field(msg, 36).toString('utf16le'),
    workstation: field(msg, 44).toString('utf16le'),
    flags: msg.readUInt32LE(60),
  };
}

/** The client's answer to a CHALLENGE_MESSAGE: an NTLMv2 AUTHENTICATE_MESSAGE. */
export function answerChallenge(
  challenge: Buffer,
  credentials: { username: string; password: string; workstation?: string },
  now: { time?: Buffer; clientChallenge?: Buffer } = {},
): Buffer {
  const parsed = parseChallengeMessage(challenge);
  const { user, domain } = splitUsername(credentials.username);
  const key = ntowfv2(credentials.password, user, domain);
  const time = now.time ?? fileTime(new Date());
  const responses = ntlmv2Responses(key, parsed.serverChallenge, now.clientChallenge ?? randomBytes(8), time, parsed.targetInfo);
  return authenticateMessage({
    flags: (CLIENT_FLAGS & parsed.flags) >>> 0,
    lmChallengeResponse: responses.lmChallengeResponse,
    ntChallengeResponse: responses.ntChallengeResponse,
    domain,
    user,
    workstation: credentials.workstation ?? 'TIDINGS',
  });
}

/**
 * The server's check of an AUTHENTICATE_MESSAGE against the password it knows: recomputes NTProofStr
 * over the client's blob. Returns the user and domain the client named, or null when the proof is wrong.
 */
export function verifyAuthenticate(
  msg: Buffer,
  serverChallenge: Buffer,
  passwordOf: (user: string, domain: string) => string | undefined,
): { user: string; domain: string } | null {
  const parsed = parseAuthenticateMessage(msg);
  if (parsed.ntChallengeResponse.length < 16 + 28) return null; // NTLMv1 or anonymous: refused
  const password = passwordOf(parsed.user, parsed.domain);
  if (password === undefined) return null;
  const proof = parsed.ntChallengeResponse.subarray(0, 16);
  const temp = parsed.ntChallengeResponse.subarray(16);
  const expected = hmacMd5(ntowfv2(password, parsed.user, parsed.domain), serverChallenge, temp);
  return expected.equals(proof) ? { user: parsed.user, domain: parsed.domain } : null;
}
