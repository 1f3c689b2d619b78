/**
 * The logging drop box (docs/drop-box.md): a mailbox marked drop_box takes mail users forward or BCC to
 * it; the sync engine applies dropBoxRewrite to each message before storing it.
 */
export { dropBoxRewrite, userForSender, type DropBoxRewrite, type ReadSource, type Reparse } from './drop-box.ts';
export { unwrapForward, type UnwrappedForward } from './unwrap.ts';
