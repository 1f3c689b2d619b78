import { Button, Modal, Table, createTheme } from '@mantine/core';

// A dense business look: small controls, compact tables, system fonts with good CJK fallbacks.
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
  headings: { fontWeight: '600' },
  components: {
    Button: Button.extend({ defaultProps: { size: 'sm' } }),
    Table: Table.extend({
      defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm', highlightOnHover: true },
    }),
    Modal: Modal.extend({ defaultProps: { centered: true, size: 'md' } }),
  },
});
