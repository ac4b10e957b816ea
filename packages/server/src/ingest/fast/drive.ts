/** Runs the conversations fast path over a file: read chunks (any encoding) → parse → batches. */
import { basename } from 'node:path';
import { DEFAULT_CHUNK_SIZE, FileProblem, Utf8ChunkReader } from '../encoding.js';
import { problem } from '../problems.js';
import { ConversationsCsvParser, type FastBatch } from './conversations-parser.js';

export interface FastOptions {
  batchSize: number;
  chunkSize?: number;
}

export interface FastOutput {
  batch: FastBatch;
  bytes: number;
  totalBytes: number;
}

export async function* parseConversationsCsv(file: string, options: FastOptions): AsyncGenerator<FastOutput> {
  const label = basename(file);
  const reader = new Utf8ChunkReader(file, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const out: FastBatch[] = [];
  const parser = new ConversationsCsvParser(label, options.batchSize, (batch) => out.push(batch));
  const drain = function* () {
    while (out.length > 0) yield { batch: out.shift() as FastBatch, bytes: reader.bytesRead, totalBytes: reader.totalBytes };
  };
  try {
    for await (const chunk of reader.chunks()) {
      parser.push(chunk);
      yield* drain();
    }
    parser.end();
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    parser.addProblem(problem(label, 0, '', null, error.why, error.code));
    parser.flush();
  }
  yield* drain();
}
