import '@mantine/tiptap/styles.css';
import { RichTextEditor, type RichTextEditorProps } from '@mantine/tiptap';
import { type Editor, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useRef } from 'react';
import { useComposeT } from './text.ts';

export interface RichEditorProps {
  /** The HTML the editor starts with; a later change of `resetKey` loads `initialHtml` again. */
  initialHtml: string;
  resetKey?: string | number;
  onChange(html: string): void;
  /** The accessible name of the text area. */
  label: string;
  testId: string;
  minHeight?: number;
  onEditor?(editor: Editor | null): void;
  /** Put the cursor at the start once loaded (a reply: above the quote). */
  focusStart?: boolean;
}

/**
 * Mantine's rich text editor (tiptap) with what mail needs: bold, italic, lists, link, quote. Tiptap
 * handles IME composition itself; nothing here listens to Enter, so Chinese input commits normally.
 */
export function RichEditor({ initialHtml, resetKey, onChange, label, testId, minHeight = 200, onEditor, focusStart }: RichEditorProps) {
  const { t } = useComposeT();
  const changed = useRef(onChange);
  changed.current = onChange;
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false }, underline: false, heading: false, code: false, codeBlock: false })],
    content: initialHtml,
    autofocus: focusStart ? 'start' : false,
    editorProps: {
      attributes: {
        'aria-label': label,
        'aria-multiline': 'true',
        role: 'textbox',
        'data-testid': testId,
        style: `min-height: ${minHeight}px`,
      },
    },
    onUpdate: ({ editor: e }) => changed.current(e.isEmpty ? '' : e.getHTML()),
  });
  const loaded = useRef(resetKey);
  useEffect(() => {
    if (!editor || loaded.current === resetKey) return;
    loaded.current = resetKey;
    editor.commands.setContent(initialHtml, { emitUpdate: false });
  }, [editor, resetKey, initialHtml]);
  useEffect(() => onEditor?.(editor), [editor, onEditor]);

  return (
    <RichTextEditor
      // Mantine's typings reach tiptap through its CommonJS types under NodeNext: the same editor, another declaration.
      editor={editor as unknown as RichTextEditorProps['editor']}
      labels={{
        boldControlLabel: t('editor.bold'),
        italicControlLabel: t('editor.italic'),
        bulletListControlLabel: t('editor.bulletList'),
        orderedListControlLabel: t('editor.orderedList'),
        blockquoteControlLabel: t('editor.blockquote'),
        linkControlLabel: t('editor.link'),
        unlinkControlLabel: t('editor.unlink'),
        linkEditorInputLabel: t('editor.linkUrl'),
        linkEditorInputPlaceholder: t('editor.linkPlaceholder'),
        linkEditorSave: t('editor.linkSave'),
        linkEditorExternalLink: t('editor.linkExternal'),
        linkEditorInternalLink: t('editor.linkInternal'),
        undoControlLabel: t('editor.undo'),
        redoControlLabel: t('editor.redo'),
      }}
    >
      <RichTextEditor.Toolbar role="toolbar" aria-label={t('editor.toolbar')}>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.Bold />
          <RichTextEditor.Italic />
        </RichTextEditor.ControlsGroup>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.BulletList />
          <RichTextEditor.OrderedList />
          <RichTextEditor.Blockquote />
        </RichTextEditor.ControlsGroup>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.Link />
          <RichTextEditor.Unlink />
        </RichTextEditor.ControlsGroup>
        <RichTextEditor.ControlsGroup>
          <RichTextEditor.Undo />
          <RichTextEditor.Redo />
        </RichTextEditor.ControlsGroup>
      </RichTextEditor.Toolbar>
      <RichTextEditor.Content style={{ maxHeight: 420, overflowY: 'auto' }} />
    </RichTextEditor>
  );
}
