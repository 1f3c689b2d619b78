import { useState } from 'react';

/**
 * The latest non-null value. Dialogs opened "for" an item close by setting it to null; showing the last
 * item keeps their content in place while the closing transition runs.
 */
export function useLastNonNull<T>(value: T | null): T | null {
  const [last, setLast] = useState(value);
  if (value !== null && value !== last) setLast(value);
  return value ?? last;
}
