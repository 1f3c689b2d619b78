import type { LocalText } from '../../mailboxes/catalogue/index.ts';
import type { OrgGrantErrorCode } from './errors.ts';

/** What happened and what to do, for each organisation-access code (per-row results of a bulk binding). */
export const ORG_MESSAGES: Record<OrgGrantErrorCode, { message: LocalText; fix: LocalText }> = {
  org_grant_missing: {
    message: { en: 'No organisation access is set up for this provider.', 'zh-CN': '尚未为该服务商配置组织授权。' },
    fix: {
      en: 'Set it up in Settings › Organisation access (Microsoft 365 application permissions or a Google Workspace service account).',
      'zh-CN': '请在“设置 › 组织授权”中配置(Microsoft 365 应用程序权限或 Google Workspace 服务账号)。',
    },
  },
  org_domain_not_covered: {
    message: { en: 'The address is not in a domain the organisation access covers.', 'zh-CN': '该地址不属于组织授权所覆盖的域名。' },
    fix: {
      en: 'Check the address for typos, or add its domain to the organisation access (it must belong to the same tenant or Workspace).',
      'zh-CN': '请检查地址是否拼写错误,或将其域名加入组织授权(该域名必须属于同一租户或 Workspace)。',
    },
  },
  org_app_secret_required: {
    message: { en: 'The Microsoft sign-in app has no client secret.', 'zh-CN': 'Microsoft 登录应用没有客户端密码。' },
    fix: {
      en: 'Create a client secret for the app in the Microsoft Entra admin center (Certificates & secrets) and enter it under Sign-in apps.',
      'zh-CN': '请在 Microsoft Entra 管理中心为该应用创建客户端密码(“证书和密码”),并填写到“登录应用”中。',
    },
  },
  org_tenant_required: {
    message: { en: 'Application permissions work for one tenant only.', 'zh-CN': '应用程序权限只能用于单个租户。' },
    fix: {
      en: 'Enter the tenant ID (Directory ID, from the Microsoft Entra admin center overview) or a verified domain.',
      'zh-CN': '请填写租户 ID(Microsoft Entra 管理中心“概述”中的目录 ID)或已验证的域名。',
    },
  },
  org_key_invalid: {
    message: { en: 'The file is not a usable Google service account key.', 'zh-CN': '该文件不是可用的 Google 服务账号密钥。' },
    fix: {
      en: 'In the Google Cloud console, open the service account › Keys › Add key › Create new key › JSON, and upload that file unchanged.',
      'zh-CN': '请在 Google Cloud 控制台打开服务账号 › “密钥” › “添加密钥” › “创建新密钥” › JSON,并原样上传该文件。',
    },
  },
  org_delegation_missing: {
    message: {
      en: 'Google refused: the service account is not allowed domain-wide delegation for mail.',
      'zh-CN': 'Google 拒绝了请求:该服务账号未获得邮件的全网域授权。',
    },
    fix: {
      en: "In the Google Admin console, Security › Access and data control › API controls › Manage domain-wide delegation, add the service account's client ID with the scope https://mail.google.com/ . A new entry can take a few minutes to apply.",
      'zh-CN':
        '请在 Google 管理控制台“安全性 › 访问权限和数据控制 › API 控件 › 管理全网域授权”中添加该服务账号的客户端 ID,范围填写 https://mail.google.com/ 。新添加的授权可能需要几分钟才能生效。',
    },
  },
  org_user_unknown: {
    message: {
      en: 'Google does not know this user in the Workspace, or the user is suspended.',
      'zh-CN': 'Google Workspace 中不存在该用户,或该用户已被暂停。',
    },
    fix: {
      en: 'Check the address in the Google Admin console (Directory › Users); use the primary address of an active user.',
      'zh-CN': '请在 Google 管理控制台(“目录 › 用户”)中核对地址;请使用活跃用户的主地址。',
    },
  },
  org_bind_rows_invalid: {
    message: { en: 'The list of mailboxes could not be read.', 'zh-CN': '无法读取邮箱列表。' },
    fix: {
      en: "Give one mailbox per row as address,owner (the owner is a Tidings user's email), at most 500 rows.",
      'zh-CN': '每行填写一个邮箱,格式为“地址,所有者”(所有者为 Tidings 用户的邮箱),最多 500 行。',
    },
  },
};
