import { describe, expect, it } from 'vitest';
import {
  answerChallenge,
  challengeMessage,
  negotiateMessage,
  ntlmv2Responses,
  ntowfv2,
  NtlmError,
  parseAuthenticateMessage,
  parseChallengeMessage,
  splitUsername,
  targetInfoOf,
  verifyAuthenticate,
} from './ntlm.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// [MS-NLMP] 4.2.4 (NTLMv2 Authentication) and its common values (4.2.1).
const SPEC = {
  user: 'User',
  domain: 'Domain',
  password: 'Password',
  serverChallenge: hex('01 23 45 67 89 ab cd ef'),
  clientChallenge: hex('aa aa aa aa aa aa aa aa'),
  time: Buffer.alloc(8),
  // AV pairs of the CHALLENGE_MESSAGE: MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL.
  targetInfo: hex('02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00'),
};

describe('NTLMv2 against [MS-NLMP] 4.2.4', () => {
  it('derives NTOWFv2 (ResponseKeyNT) as the worked example', () => {
    expect(ntowfv2(SPEC.password, SPEC.user, SPEC.domain).toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('computes the LMv2 response, NTProofStr and session base key of the example', () => {
    const key = ntowfv2(SPEC.password, SPEC.user, SPEC.domain);
    const r = ntlmv2Responses(key, SPEC.serverChallenge, SPEC.clientChallenge, SPEC.time, SPEC.targetInfo);
    expect(r.lmChallengeResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(r.ntProofStr.toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(r.sessionBaseKey.toString('hex')).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
  });

  it('builds the same AV pairs as the example challenge', () => {
    expect(targetInfoOf({ nbDomain: 'Domain', nbComputer: 'Server' }).equals(SPEC.targetInfo)).toBe(true);
  });
});

describe('NTLMSSP handshake', () => {
  const challengeFor = (serverChallenge: Buffer) =>
    challengeMessage({ serverChallenge, targetName: 'CONTOSO', targetInfo: targetInfoOf({ nbDomain: 'CONTOSO', nbComputer: 'EX01' }) });

  it('round-trips: the server accepts the right password, for DOMAIN\\user and UPN, and refuses a wrong one', () => {
    const serverChallenge = hex('0102030405060708');
    const challenge = challengeFor(serverChallenge);
    expect(parseChallengeMessage(challenge).serverChallenge.equals(serverChallenge)).toBe(true);
    const passwords = (user: string, domain: string) =>
      (user.toLowerCase() === 'alice' && domain.toUpperCase() === 'CONTOSO') || user === 'alice@contoso.test' ? 'Secr3t!' : undefined;

    const ok = answerChallenge(challenge, { username: 'CONTOSO\\alice', password: 'Secr3t!' });
    expect(verifyAuthenticate(ok, serverChallenge, passwords)).toEqual({ user: 'alice', domain: 'CONTOSO' });
    const upn = answerChallenge(challenge, { username: 'alice@contoso.test', password: 'Secr3t!' });
    expect(verifyAuthenticate(upn, serverChallenge, passwords)).toEqual({ user: 'alice@contoso.test', domain: '' });
    const wrong = answerChallenge(challenge, { username: 'CONTOSO\\alice', password: 'nope' });
    expect(verifyAuthenticate(wrong, serverChallenge, passwords)).toBeNull();
    // A replay against another challenge fails.
    expect(verifyAuthenticate(ok, hex('0807060504030201'), passwords)).toBeNull();
  });

  it('names the user in the AUTHENTICATE message and never the password', () => {
    const msg = answerChallenge(challengeFor(hex('0102030405060708')), { username: 'CONTOSO\\bob', password: 'hunter2' });
    const parsed = parseAuthenticateMessage(msg);
    expect(parsed).toMatchObject({ user: 'bob', domain: 'CONTOSO', workstation: 'TIDINGS' });
    expect(msg.includes(Buffer.from('hunter2', 'utf16le'))).toBe(false);
    expect(negotiateMessage().subarray(0, 8).toString('latin1')).toBe('NTLMSSP\0');
  });

  it('refuses hostile messages with NtlmError, never a crash', () => {
    expect(() => parseChallengeMessage(Buffer.from('garbage'))).toThrow(NtlmError);
    const challenge = challengeFor(hex('0102030405060708'));
    challenge.writeUInt32LE(0xffffff, 44); // target info offset far outside
    expect(() => parseChallengeMessage(challenge)).toThrow(NtlmError);
    expect(() => parseAuthenticateMessage(negotiateMessage())).toThrow(NtlmError);
  });

  it('splits user names', () => {
    expect(splitUsername('CONTOSO\\alice')).toEqual({ domain: 'CONTOSO', user: 'alice' });
    expect(splitUsername('alice@contoso.test')).toEqual({ domain: '', user: 'alice@contoso.test' });
  });
});
