export type Role = 'admin' | 'member';
export type Locale = 'en' | 'zh-CN';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  locale: Locale | null;
  twoFactorEnabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  prefix: string;
}
