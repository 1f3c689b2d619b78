import { Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { RichEditorProps } from './rich-editor.tsx';

// The editor (tiptap and ProseMirror) is its own chunk, loaded when a page first shows an editor.
const Editor = lazy(async () => ({ default: (await import('./rich-editor.tsx')).RichEditor }));

export function RichEditor(props: RichEditorProps) {
  return (
    <Suspense fallback={<Loader size="xs" />}>
      <Editor {...props} />
    </Suspense>
  );
}
