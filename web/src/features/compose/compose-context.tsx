import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ComposeWindow } from './compose-window.tsx';
import type { Address, MergeContext, OutboxItem, RecordType } from './types.ts';

/** What the compose window opens with. */
export type ComposeRequest =
  | {
      kind: 'new';
      to?: Address[];
      /** Addresses to pick from (a company's people), shown as checkboxes that add to To. */
      choices?: Address[];
      record?: { type: RecordType; id: string } | null;
      /** The records a template's merge fields are filled from. */
      merge?: MergeContext;
    }
  | { kind: 'reply' | 'reply_all' | 'forward'; sourceMessageId: string }
  /** A saved row reopened: a draft, or a failed message (saving it makes it a draft again). */
  | { kind: 'draft'; item: OutboxItem };

interface ComposeContextValue {
  openCompose(request: ComposeRequest): void;
  /** Whether the window is open (keyboard shortcuts of the page below stay quiet). */
  composing: boolean;
}

const ComposeContext = createContext<ComposeContextValue | null>(null);

/** Holds the one compose window of the signed-in app; any page opens it with `useCompose().openCompose`. */
export function ComposeProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<{ request: ComposeRequest; key: number } | null>(null);
  // The window mounts already open, so the dialog cannot know what had the focus before: kept here, and
  // given the focus back once the window is gone (unless something else took it meanwhile).
  const opener = useRef<HTMLElement | null>(null);
  const openCompose = useCallback((request: ComposeRequest) => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && !active.closest('[data-testid="compose-window"]')) opener.current = active;
    setOpen((o) => ({ request, key: (o?.key ?? 0) + 1 }));
  }, []);
  useEffect(() => {
    if (open) return;
    const back = opener.current;
    opener.current = null;
    const active = document.activeElement;
    if (back?.isConnected && (active === null || active === document.body)) back.focus();
  }, [open]);
  const value = useMemo(() => ({ openCompose, composing: open !== null }), [openCompose, open]);
  return (
    <ComposeContext.Provider value={value}>
      {children}
      {open ? <ComposeWindow key={open.key} request={open.request} onClose={() => setOpen(null)} onReopen={openCompose} /> : null}
    </ComposeContext.Provider>
  );
}

export function useCompose(): ComposeContextValue {
  const value = useContext(ComposeContext);
  if (!value) throw new Error('useCompose outside ComposeProvider');
  return value;
}
