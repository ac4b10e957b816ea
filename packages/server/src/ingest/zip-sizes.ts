/**
 * The uncompressed size of each entry of a zip file, from its central directory. Streaming
 * writers leave sizes out of an entry's own header (they follow its data), but the central
 * directory at the end of the file always has them. Zip64 sizes and offsets are read too.
 */
import { open } from 'node:fs/promises';

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const ZIP64_EXTRA = 0x0001;
const MAX_COMMENT = 0xffff;
const END_SIZE = 22;

export async function zipEntrySizes(file: string): Promise<Map<string, number>> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead !== length) throw new Error('zip directory beyond the end of the file');
      return buffer;
    };
    const tailStart = Math.max(0, size - END_SIZE - MAX_COMMENT);
    const tail = await read(tailStart, size - tailStart);
    let end = -1;
    for (let at = tail.length - END_SIZE; at >= 0; at--) {
      if (tail.readUInt32LE(at) === END_OF_DIRECTORY) {
        end = at;
        break;
      }
    }
    if (end < 0) throw new Error('no zip directory');
    let directorySize = tail.readUInt32LE(end + 12);
    let directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
      const locator = end - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new Error('no zip64 directory locator');
      const zip64End = await read(Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (zip64End.readUInt32LE(0) !== ZIP64_END_OF_DIRECTORY) throw new Error('no zip64 directory');
      directorySize = Number(zip64End.readBigUInt64LE(40));
      directoryOffset = Number(zip64End.readBigUInt64LE(48));
    }
    const directory = await read(directoryOffset, directorySize);
    const sizes = new Map<string, number>();
    for (let at = 0; at + 46 <= directory.length && directory.readUInt32LE(at) === DIRECTORY_ENTRY;) {
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      let uncompressed = directory.readUInt32LE(at + 24);
      if (uncompressed === 0xffffffff)
        uncompressed = zip64Size(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
      sizes.set(name, uncompressed);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return sizes;
  } finally {
    await handle.close();
  }
}

/** The uncompressed size in an entry's zip64 extra field (its first value when the 32-bit one overflowed). */
function zip64Size(extra: Buffer): number {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA && length >= 8) return Number(extra.readBigUInt64LE(at + 4));
    at += 4 + length;
  }
  throw new Error('zip64 size missing');
}
