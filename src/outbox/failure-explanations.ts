import type { SendFailureCode } from './errors.ts';

export type Locale = 'en' | 'zh-CN';
interface Text {
  en: string;
  'zh-CN': string;
}

/** Why a send failed and what to do, per SendFailureCode, in both languages (like the probe's explanations). */
export const SEND_FAILURES: Record<SendFailureCode, { explanation: Text; fix: Text }> = {
  send_temporary: {
    explanation: {
      en: 'The mail server could not take the message for now (busy, a dropped connection or a time-out).',
      'zh-CN': '邮件服务器暂时无法接收这封邮件(服务器繁忙、连接中断或超时)。',
    },
    fix: {
      en: 'Nothing to do: Tidings tries again by itself. If it keeps failing, check the mailbox with "Test connection".',
      'zh-CN': '无需操作:Tidings 会自动重试。如果一直失败,请在邮箱设置中点击“测试连接”检查。',
    },
  },
  send_rejected: {
    explanation: {
      en: 'The mail server refused the message as it is (its answer is shown).',
      'zh-CN': '邮件服务器拒收了这封邮件(服务器的回复见下方)。',
    },
    fix: {
      en: "Read the server's answer: a wrong address, content the provider blocks as spam, or an attachment type it refuses. Edit the message and send it again.",
      'zh-CN': '请阅读服务器的回复:可能是收件地址有误、内容被服务商判为垃圾邮件,或附件类型被拒。修改邮件后重新发送。',
    },
  },
  recipients_rejected: {
    explanation: {
      en: 'Some recipients were refused by the server; the others received the message.',
      'zh-CN': '部分收件人被服务器拒收;其他收件人已收到邮件。',
    },
    fix: {
      en: 'Check the refused addresses (shown with the answers). Send a new message to the corrected ones only, so the others do not get it twice.',
      'zh-CN': '请检查被拒收的地址(及服务器的回复)。只给改正后的地址重新发一封,避免其他人重复收到。',
    },
  },
  send_auth_failed: {
    explanation: {
      en: 'The mail server refused the sign-in: the password, authorization code or sign-in was changed or revoked.',
      'zh-CN': '邮件服务器拒绝登录:密码、授权码或登录授权已更改或被撤销。',
    },
    fix: {
      en: 'Open the mailbox settings and enter the new password or authorization code (QQ, 163: generate a new 授权码), or choose "Sign in again"; then send the message again.',
      'zh-CN': '请打开邮箱设置,填写新的密码或授权码(QQ、163 邮箱需重新生成授权码),或点击“重新登录”;然后重新发送。',
    },
  },
  send_tls_failed: {
    explanation: {
      en: 'The secure connection to the SMTP server failed, or its certificate is not the one trusted before.',
      'zh-CN': '与 SMTP 服务器的加密连接失败,或其证书与之前信任的证书不同。',
    },
    fix: {
      en: 'Run "Test connection" on the mailbox: it shows the certificate. If the server changed it legitimately, an admin trusts the new one.',
      'zh-CN': '请对该邮箱运行“测试连接”查看证书。如果服务器确实更换了证书,请管理员信任新证书。',
    },
  },
  send_too_large: {
    explanation: {
      en: 'The mail server said the message is too big.',
      'zh-CN': '邮件服务器表示邮件过大。',
    },
    fix: {
      en: 'Remove or shrink attachments (attachments grow by a third when sent), or share large files by link.',
      'zh-CN': '请删除或压缩附件(附件发送时会增大约三分之一),或改用链接分享大文件。',
    },
  },
  send_quota_exceeded: {
    explanation: {
      en: "The provider's sending limit for this mailbox is reached (too many messages or recipients today).",
      'zh-CN': '该邮箱已达到服务商的发信限制(今天发送的邮件或收件人过多)。',
    },
    fix: {
      en: 'Wait until the limit resets (usually within 24 hours) and send again, or send from another mailbox.',
      'zh-CN': '请等待限额重置(通常在 24 小时内)后重新发送,或改用其他邮箱发送。',
    },
  },
  send_gave_up: {
    explanation: {
      en: 'The server kept failing for longer than Tidings keeps trying; the message was not sent.',
      'zh-CN': '服务器持续出错的时间超过了 Tidings 的重试期限;邮件未发出。',
    },
    fix: {
      en: 'Check the mailbox with "Test connection", then send the message again.',
      'zh-CN': '请用“测试连接”检查邮箱,然后重新发送。',
    },
  },
  send_outcome_unknown: {
    explanation: {
      en: 'Sending stopped at a point where the message may have left, and the Sent folder could not be read to check.',
      'zh-CN': '发送在邮件可能已发出的时刻中断,且无法读取“已发送”文件夹进行核对。',
    },
    fix: {
      en: 'Look in the Sent folder (or ask a recipient) before sending again, so nobody gets it twice.',
      'zh-CN': '重新发送前,请先查看“已发送”文件夹(或询问收件人),以免对方重复收到。',
    },
  },
};

export const localeOf = (locale: string | null | undefined): Locale => (locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

/** A stored failure in the reader's language; an unknown code (a newer server wrote it) reads as a rejection. */
export function explainFailure(code: string, locale: Locale): { explanation: string; fix: string } {
  const entry = SEND_FAILURES[code as SendFailureCode] ?? SEND_FAILURES.send_rejected;
  return { explanation: entry.explanation[locale], fix: entry.fix[locale] };
}
