import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { FileProblem, Utf8ChunkReader, completeUtf8End } from './encoding.js';
import { tempFile } from './test-support.js';

async function decode(bytes: Uint8Array, chunkSize = 7): Promise<{ text: string; encoding: string }> {
  const reader = new Utf8ChunkReader(tempFile('t.csv', bytes), chunkSize);
  const parts: Buffer[] = [];
  for await (const chunk of reader.chunks()) parts.push(chunk);
  return { text: Buffer.concat(parts).toString('utf8'), encoding: reader.encoding };
}

const TEXT = '工号,姓名\r\nE1001,张三\r\n';

describe('encoding detection', () => {
  it('keeps UTF-8 with or without a BOM, whatever the chunk size', async () => {
    for (const size of [1, 2, 3, 5, 64]) {
      expect(await decode(Buffer.from(TEXT), size)).toEqual({ text: TEXT, encoding: 'utf-8' });
      expect(await decode(Buffer.from(`\uFEFF${TEXT}`), size)).toEqual({ text: TEXT, encoding: 'utf-8' });
    }
  });

  it('reads GBK and GB18030 as Excel in China writes them', async () => {
    for (const size of [1, 3, 64]) expect(await decode(iconv.encode(TEXT, 'gbk'), size)).toEqual({ text: TEXT, encoding: 'gb18030' });
    const rare = '𠀀,€,㐀\n'; // 4-byte GB18030 sequences
    expect((await decode(iconv.encode(rare, 'gb18030'), 5)).text).toBe(rare);
  });

  it('switches to GB18030 when the Chinese comes after an ASCII start', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n'.repeat(50)), iconv.encode('张三,李四\n', 'gbk')]);
    const { text, encoding } = await decode(bytes, 16);
    expect(encoding).toBe('gb18030');
    expect(text.endsWith('张三,李四\n')).toBe(true);
  });

  it('refuses invalid UTF-8 after a UTF-8 start, and UTF-16', async () => {
    const mixed = Buffer.concat([Buffer.from('张三\n'.repeat(1000)), iconv.encode('李四\n', 'gbk')]);
    await expect(decode(mixed, 4)).rejects.toBeInstanceOf(FileProblem);
    await expect(decode(Buffer.from(`\uFEFF${TEXT}`, 'utf16le'))).rejects.toThrow(/UTF-16/);
  });

  it('finds the end of the last complete character', () => {
    const bytes = Buffer.from('a张');
    expect(completeUtf8End(bytes)).toBe(4);
    expect(completeUtf8End(bytes, 3)).toBe(1);
    expect(completeUtf8End(bytes, 2)).toBe(1);
    expect(completeUtf8End(Buffer.from('abc'))).toBe(3);
  });
});
