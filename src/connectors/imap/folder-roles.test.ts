import { describe, expect, it } from 'vitest';
import { assignRoles, type ListedFolder } from './folder-roles.ts';

function folder(path: string, extra: Partial<ListedFolder> = {}): ListedFolder {
  const delimiter = extra.delimiter === undefined ? '/' : extra.delimiter;
  const name = delimiter ? path.split(delimiter).at(-1)! : path;
  return { path, name, delimiter, flags: [], specialUse: null, ...extra };
}

const roleOf = (folders: ReturnType<typeof assignRoles>) => Object.fromEntries(folders.map((f) => [f.path, f.role]));

describe('assignRoles name fallback (no SPECIAL-USE)', () => {
  it('recognises the Chinese names NetEase and QQ use', () => {
    const roles = roleOf(assignRoles(['INBOX', '已发送', '草稿箱', '已删除', '垃圾邮件', '归档', '客户'].map((p) => folder(p))));
    expect(roles).toEqual({
      INBOX: 'inbox',
      已发送: 'sent',
      草稿箱: 'drafts',
      已删除: 'trash',
      垃圾邮件: 'junk',
      归档: 'archive',
      客户: null,
    });
  });

  it('recognises Exchange/Apple English names, case-insensitively', () => {
    const roles = roleOf(assignRoles(['inbox', 'Sent Items', 'DRAFTS', 'Deleted Items', 'Junk E-mail', 'Archive'].map((p) => folder(p))));
    expect(roles).toEqual({
      inbox: 'inbox',
      'Sent Items': 'sent',
      DRAFTS: 'drafts',
      'Deleted Items': 'trash',
      'Junk E-mail': 'junk',
      Archive: 'archive',
    });
  });

  it('gives each role to one folder: best-ranked name, shallower first', () => {
    const roles = roleOf(
      assignRoles([
        folder('INBOX'),
        folder('Sent'),
        folder('已发送邮件'),
        folder('Spam'),
        folder('Work/Junk'),
        folder('INBOX.Trash', { delimiter: '.' }),
      ]),
    );
    expect(roles.已发送邮件).toBe('sent'); // listed before "Sent" in the table
    expect(roles.Sent).toBeNull();
    expect(roles.Spam).toBe('junk'); // top-level beats the nested better-ranked "Junk"
    expect(roles['Work/Junk']).toBeNull();
    expect(roles['INBOX.Trash']).toBe('trash');
  });

  it('lets SPECIAL-USE win over names, and never gives a role to a \\Noselect container', () => {
    const folders = assignRoles([
      folder('Sent'),
      folder('Outgoing', { specialUse: '\\Sent' }),
      folder('Archive', { flags: ['\\Noselect', '\\HasChildren'] }),
      folder('[Gmail]/All Mail', { flags: ['\\All', '\\HasNoChildren'] }),
      folder('Starred', { flags: ['\\Flagged'] }),
    ]);
    expect(roleOf(folders)).toEqual({ Sent: null, Outgoing: 'sent', Archive: null, '[Gmail]/All Mail': 'all', Starred: 'flagged' });
    expect(folders.find((f) => f.path === 'Archive')?.selectable).toBe(false);
  });
});
