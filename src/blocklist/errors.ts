import { DomainError } from '../kernel/index.ts';

export type BlocklistErrorCode = 'already_blocked' | 'invalid_value';

export class BlocklistError extends DomainError<BlocklistErrorCode> {}
