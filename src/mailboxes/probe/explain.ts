import { findProviderById, providers, type Provider } from '../catalogue/index.ts';
import { providerHintFromReply } from './classify.ts';
import { GENERIC_FIXES, PROVIDER_FIXES } from './fixes.ts';
import { MESSAGES } from './messages.ts';
import type { ProbeError } from './probe-error.ts';
import type { LocalText, ProbeFailure, ProbeFailureCode, ProbeReport } from './types.ts';

/** Failures where the provider's own settings page is the answer when no specific fix is written. */
const CATALOGUE_HELP_CODES = new Set<ProbeFailureCode>(['auth_failed', 'imap_disabled_by_provider', 'auth_method_unsupported']);

/** A loopback Bridge (Proton Mail Bridge on 127.0.0.1) says nothing about which server a host is: skip it. */
function providerByHost(host: string): Provider | undefined {
  const wanted = host.toLowerCase();
  return providers.find(
    (p) =>
      !p.quirks.includes('local_bridge') &&
      [p.imap, p.smtp, p.customDomain?.imap, p.customDomain?.smtp].some((setting) => setting?.host === wanted),
  );
}

/** The provider to explain a failure for: the one chosen, else the one whose host this is, else the one the reply names. */
export function resolveProvider(providerId: string | undefined, host: string, reply: string | undefined): Provider | undefined {
  const chosen = providerId ? findProviderById(providerId) : undefined;
  if (chosen && chosen.id !== 'custom') return chosen;
  const byHost = providerByHost(host);
  if (byHost) return byHost;
  const hint = reply ? providerHintFromReply(reply) : undefined;
  return hint ? findProviderById(hint) : undefined;
}

function join(a: LocalText, b: LocalText): LocalText {
  return { en: `${a.en} ${b.en}`, 'zh-CN': `${a['zh-CN']}${b['zh-CN']}` };
}

/** The fix for a failure: the provider's own (fixes.ts), or the generic one plus the catalogue's help. */
export function fixFor(code: ProbeFailureCode, provider: Provider | undefined): LocalText {
  const specific = provider ? PROVIDER_FIXES[provider.id]?.[code] : undefined;
  if (specific) return specific;
  const generic = GENERIC_FIXES[code];
  if (!provider || !CATALOGUE_HELP_CODES.has(code)) return generic;
  const help = provider.authHelp ? join(provider.authHelp, provider.help) : provider.help;
  return join(generic, {
    en: `${provider.name.en}: ${help.en}`,
    'zh-CN': `${provider.name['zh-CN']}:${help['zh-CN']}`,
  });
}

export interface ExplainContext {
  protocol: ProbeReport['protocol'];
  host: string;
  port: number;
  providerId: string | undefined;
  timeoutMs: number;
}

export function explainFailure(err: ProbeError, ctx: ExplainContext): ProbeFailure {
  const stage = err.stage ?? 'connect';
  const reply = err.info.reply?.slice(0, 300);
  const params = {
    protocol: ctx.protocol,
    host: ctx.host,
    port: ctx.port,
    stage,
    seconds: Math.round(ctx.timeoutMs / 100) / 10,
    ...err.info.params,
  };
  const base = MESSAGES[err.code](params);
  const message = reply ? { en: `${base.en} Server reply: “${reply}”`, 'zh-CN': `${base['zh-CN']}服务器回复:“${reply}”` } : base;
  const provider = resolveProvider(ctx.providerId, ctx.host, reply);
  return {
    code: err.code,
    stage,
    message,
    fix: fixFor(err.code, provider),
    ...(err.info.certificate ? { certificate: err.info.certificate } : {}),
  };
}
