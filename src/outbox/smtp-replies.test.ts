import { describe } from 'vitest';
import { itMaps } from '../../test/support/cases.ts';
import { type SmtpFailure, sendErrorFromSmtp } from './smtp-replies.ts';

const classify = (f: SmtpFailure) => {
  const e = sendErrorFromSmtp(Object.assign(new Error(f.message ?? 'failed'), f));
  return `${e.code}${e.temporary ? ' (temporary)' : ''}`;
};

describe('sendErrorFromSmtp', () => {
  itMaps('%j → %s', classify, [
    [{ code: 'EMESSAGE', response: '451 4.3.0 Try again later', responseCode: 451 }, 'send_temporary (temporary)'],
    [{ code: 'EENVELOPE', response: '421 4.7.0 Try again later, closing connection', responseCode: 421 }, 'send_temporary (temporary)'],
    [{ code: 'EAUTH', response: '535 5.7.8 Username and Password not accepted', responseCode: 535 }, 'send_auth_failed'],
    [{ code: 'EAUTH', response: '534 5.7.9 Application-specific password required', responseCode: 534 }, 'send_auth_failed'],
    [{ code: 'EAUTH', response: '454 4.7.0 Temporary authentication failure', responseCode: 454 }, 'send_temporary (temporary)'],
    [{ code: 'EMESSAGE', response: '552 5.3.4 Message size exceeds fixed maximum message size', responseCode: 552 }, 'send_too_large'],
    [{ code: 'EMESSAGE', response: '554 5.3.4 Message too big for system', responseCode: 554 }, 'send_too_large'],
    [{ code: 'EMESSAGE', response: '550 5.4.5 Daily user sending limit exceeded.', responseCode: 550 }, 'send_quota_exceeded'],
    [
      { code: 'EMESSAGE', response: "550 5.1.90 Your message can't be sent because you've reached your daily limit", responseCode: 550 },
      'send_quota_exceeded',
    ],
    [
      {
        code: 'EMESSAGE',
        response: '554 5.2.2 mailbox full; STOREDRV.Submission.Exception:SubmissionQuotaExceededException',
        responseCode: 554,
      },
      'send_quota_exceeded',
    ],
    [{ code: 'EMESSAGE', response: '550 5.7.1 Message rejected as spam', responseCode: 550 }, 'send_rejected'],
    [{ code: 'EENVELOPE', response: '553 5.7.1 Sender address rejected: not owned by user', responseCode: 553 }, 'send_rejected'],
    [{ code: 'ETLS', message: 'Error initiating TLS' }, 'send_tls_failed'],
    [{ code: 'ECONNECTION', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'send_tls_failed'],
    [{ code: 'ECONNECTION', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'send_temporary (temporary)'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'send_temporary (temporary)'],
    [{ code: 'EAUTH', originalCode: 'oauth_revoked', message: 'oauth_revoked: sign in again' }, 'send_auth_failed'],
    [{ code: 'EAUTH', originalCode: 'oauth_provider_unreachable', message: 'token endpoint failed' }, 'send_temporary (temporary)'],
  ]);
});
