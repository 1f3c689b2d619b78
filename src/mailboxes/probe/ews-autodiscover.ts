import type { LookupFunction } from 'node:net';
import { EwsHttp } from '../../connectors/ews/ews-http.ts';
import { ConnectorError } from '../../connectors/types.ts';
import { parseEmail, type ParsedEmail } from '../discovery/email.ts';
import { autodiscoverUrls, parsePoxResponse, poxRequest } from '../discovery/exchange-autodiscover.ts';
import { getUserSettingsRequest, parseGetUserSettingsResponse, soapAutodiscoverUrl } from '../discovery/exchange-autodiscover-soap.ts';
import { ProbeError } from './probe-error.ts';
import type { ProbeRun } from './probe-run.ts';

/** Autodiscover answers are a few KiB. */
const MAX_ANSWER_BYTES = 256 * 1024;
/** Same-domain redirects followed before giving up (Outlook stops at 10; two is what real setups use). */
const MAX_HOPS = 3;

export interface AutodiscoverCredentials {
  username: string;
  password: string;
  pinnedCertPem: string | null;
  extraCaPems: string[];
  lookup: LookupFunction;
}

/** The email's domain or one of its subdomains: a redirect there stays with the same organisation. */
function sameOrganisation(host: string, email: ParsedEmail): boolean {
  const h = host.toLowerCase();
  const d = email.domain.toLowerCase();
  return h === d || h.endsWith(`.${d}`);
}

const isSoap = (url: string) => /\.svc$/i.test(new URL(url).pathname);

/**
 * Asks POX and SOAP Autodiscover for the EWS endpoint of `address`, signed in with the mailbox's own
 * credentials (real servers answer only then). Redirects within the address's domain are followed; a
 * redirect elsewhere stops with autodiscover_redirected naming the target, for the admin to confirm.
 */
export async function autodiscoverEws(run: ProbeRun, address: string, creds: AutodiscoverCredentials, urls?: string[]): Promise<string> {
  let email: ParsedEmail;
  try {
    email = parseEmail(address);
  } catch (cause) {
    throw new ProbeError('autodiscover_not_found', { cause, params: { email: address } });
  }
  const queue = [...(urls ?? [...autodiscoverUrls(email), soapAutodiscoverUrl(email.domain)])];
  const tried: string[] = [];
  let hops = 0;
  while (queue.length) {
    const url = queue.shift()!;
    const http = new EwsHttp({ url, ...creds, allowPlaintext: false, maxResponseBytes: MAX_ANSWER_BYTES, timeoutMs: run.timeoutMs });
    run.transcript.client(`POST ${url} (${isSoap(url) ? 'GetUserSettings' : 'POX'} for ${email.address})`);
    try {
      const answer = await http.post(isSoap(url) ? getUserSettingsRequest(email.address, url) : poxRequest(email));
      run.transcript.server(`HTTP ${answer.status}`);
      if (answer.status !== 200) {
        tried.push(`${url}: HTTP ${answer.status}`);
        continue;
      }
      const found = isSoap(url) ? parseGetUserSettingsResponse(answer.body) : parsePoxResponse(answer.body);
      const ewsUrl = 'ewsUrl' in found ? found.ewsUrl : (found as ReturnType<typeof parsePoxResponse>).ews?.url;
      if (ewsUrl) return ewsUrl;
      const redirectAddr = found.redirectAddr;
      const redirectUrl = found.redirectUrl;
      if (redirectAddr) {
        const next = parseEmailOrNull(redirectAddr);
        if (!next || !sameOrganisation(next.domain, email) || hops >= MAX_HOPS)
          throw new ProbeError('autodiscover_redirected', { params: { target: redirectAddr } });
        hops++;
        email = next;
        queue.unshift(url);
        continue;
      }
      if (redirectUrl) {
        if (!sameOrganisation(new URL(redirectUrl).hostname, email) || hops >= MAX_HOPS) {
          throw new ProbeError('autodiscover_redirected', { params: { target: redirectUrl } });
        }
        hops++;
        queue.unshift(redirectUrl);
        continue;
      }
      tried.push(`${url}: ${found.error ?? 'no EWS address in the answer'}`);
    } catch (err) {
      if (err instanceof ProbeError) throw err;
      if (err instanceof ConnectorError && err.code === 'auth_failed') {
        throw new ProbeError(err.extra.serverResponse === 'ntlm_refused' ? 'ntlm_refused' : 'auth_failed', {
          cause: err,
          reply: err.message,
        });
      }
      tried.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await http.close();
    }
  }
  throw new ProbeError('autodiscover_not_found', { params: { email: email.address }, detail: { tried } });
}

function parseEmailOrNull(value: string): ParsedEmail | null {
  try {
    return parseEmail(value);
  } catch {
    return null;
  }
}
