import { useState } from 'react';

/** A dialog about one item (the token to revoke, the user to deactivate): open while it holds one. */
export interface ItemDialog<T> {
  item: T | null;
  open(item: T): void;
  close(): void;
}

export function useItemDialog<T>(): ItemDialog<T> {
  const [item, setItem] = useState<T | null>(null);
  return { item, open: (next) => setItem(() => next), close: () => setItem(null) };
}
