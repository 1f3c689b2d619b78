import { parentPort } from 'node:worker_threads';
import { DomainError } from '../../kernel/index.ts';
import { type ParsedCompaniesCsv, parseCompaniesCsv } from './parse-companies.ts';
import { type ParsedContactsCsv, parseContactsCsv } from './parse-contacts.ts';

/** The worker thread that reads uploaded CSV files (parse-off-thread.ts starts it and talks to it). */

export interface ParsedCsvByKind {
  contacts: ParsedContactsCsv;
  companies: ParsedCompaniesCsv;
}
export type CsvKind = keyof ParsedCsvByKind;

export type ToCsvWorker = { id: number; kind: CsvKind; bytes: Uint8Array };
export type FromCsvWorker =
  | { type: 'ready' }
  | { type: 'parsed'; id: number; parsed: ParsedCsvByKind[CsvKind] }
  /** A whole-file problem (a DomainError's code, message and details), to be thrown again on the main thread. */
  | { type: 'refused'; id: number; code: string; message: string; details: Record<string, unknown> }
  | { type: 'failed'; id: number; message: string };

const parsers: { [K in CsvKind]: (bytes: Buffer) => ParsedCsvByKind[K] } = {
  contacts: parseContactsCsv,
  companies: parseCompaniesCsv,
};

const port = parentPort;
if (!port) throw new Error('csv-worker.ts runs as a worker thread');

port.on('message', ({ id, kind, bytes }: ToCsvWorker) => {
  let answer: FromCsvWorker;
  try {
    answer = { type: 'parsed', id, parsed: parsers[kind](Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
  } catch (error) {
    answer =
      error instanceof DomainError
        ? { type: 'refused', id, code: error.code, message: error.message, details: error.details }
        : { type: 'failed', id, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
port.postMessage({ type: 'ready' } satisfies FromCsvWorker);
