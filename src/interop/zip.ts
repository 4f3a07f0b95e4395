/**
 * The ZIP container of `.npz` files (APPNOTE 6.3): reading stored and deflated entries, with Zip64
 * (which `numpy.savez` writes for every entry), CRC-32 checks, and a limit on the decompressed size
 * enforced while inflating; writing stored entries.
 *
 * The central directory is authoritative (as in Python's `zipfile`). An entry's declared
 * uncompressed size must be within the limit before anything is inflated, and inflating stops as
 * soon as the output passes the declared size, so a "zip bomb" costs at most the limit in memory
 * whatever it declares.
 */
import { crc32, inflateRawSync } from 'node:zlib';

/** One file of an archive, decompressed and checked. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Limits of {@link readZip}. */
export interface ZipLimits {
  /** Largest decompressed size of one entry, in bytes. */
  readonly maxEntryBytes: number;
  /** Largest decompressed size of all entries together, in bytes. */
  readonly maxTotalBytes: number;
  /** Most entries. */
  readonly maxEntries: number;
}

/** Default limits: 1 GiB per entry, 2 GiB in all, 100 000 entries. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 1024 ** 3, maxTotalBytes: 2 * 1024 ** 3, maxEntries: 100000 };

/** A problem with the archive; the caller adds the file name. `entry` names the entry when there is one. */
export class ZipFormatError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const U32_MAX = 0xffffffff;

function u64(view: DataView, at: number): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('a Zip64 size or offset is too large');
  return Number(v);
}

/** Reads every entry of a ZIP archive, in central-directory order. Throws {@link ZipFormatError}. */
export function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const len = bytes.length;
  // End of central directory: the last 22 bytes plus a comment of at most 65535 bytes.
  let eocd = -1;
  for (let p = len - 22; p >= Math.max(0, len - 22 - 65535); p--) {
    if (view.getUint32(p, true) === EOCD_SIG && p + 22 + view.getUint16(p + 20, true) === len) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError(len < 22 ? `only ${len} bytes: truncated or not a ZIP archive` : 'no end-of-central-directory record: truncated or not a ZIP archive');
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) throw new ZipFormatError('multi-part (split) archives are not supported');
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== ZIP64_LOCATOR_SIG) throw new ZipFormatError('Zip64 end-of-central-directory locator missing');
    const z = u64(view, loc + 8);
    if (z + 56 > len || view.getUint32(z, true) !== ZIP64_EOCD_SIG) throw new ZipFormatError('Zip64 end-of-central-directory record missing or out of the file');
    count = u64(view, z + 32);
    cdSize = u64(view, z + 40);
    cdOffset = u64(view, z + 48);
  }
  if (count > limits.maxEntries) throw new ZipFormatError(`${count} entries; the limit is ${limits.maxEntries}`);
  if (cdOffset + cdSize > len) throw new ZipFormatError('the central directory runs past the end of the file (truncated archive)');
  const out: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdOffset + cdSize || view.getUint32(p, true) !== CENTRAL_SIG) throw new ZipFormatError(`central directory entry ${k + 1} is corrupt`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let csize = view.getUint32(p + 20, true);
    let usize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > cdOffset + cdSize) throw new ZipFormatError(`central directory entry ${k + 1} is corrupt`);
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extended information: the 0xFFFFFFFF fields, in order usize, csize, offset.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const size = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + size) throw new ZipFormatError('Zip64 extra field too short', name);
          const v = u64(view, q);
          q += 8;
          return v;
        };
        if (usize === U32_MAX) usize = take();
        if (csize === U32_MAX) csize = take();
        if (localOffset === U32_MAX) localOffset = take();
      }
      e += 4 + size;
    }
    p = extraEnd + commentLen;
    if (seen.has(name)) throw new ZipFormatError(`the archive has two entries named ${JSON.stringify(name)}`, name);
    seen.add(name);
    if (flags & 0x1) throw new ZipFormatError('encrypted entries are not supported', name);
    if (name.endsWith('/')) continue; // a directory entry
    if (usize > limits.maxEntryBytes) {
      throw new ZipFormatError(`decompresses to ${usize} bytes; the limit is ${limits.maxEntryBytes} bytes per entry`, name);
    }
    total += usize;
    if (total > limits.maxTotalBytes) throw new ZipFormatError(`the entries decompress to more than ${limits.maxTotalBytes} bytes in all (the limit)`, name);
    if (localOffset + 30 > len || view.getUint32(localOffset, true) !== LOCAL_SIG) throw new ZipFormatError('local header missing or out of the file (corrupt or truncated archive)', name);
    const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    if (dataStart + csize > len) throw new ZipFormatError(`compressed data run past the end of the file (needs ${csize} bytes; truncated archive)`, name);
    const comp = bytes.subarray(dataStart, dataStart + csize);
    let data: Uint8Array;
    if (method === 0) {
      if (csize !== usize) throw new ZipFormatError(`stored entry has ${csize} bytes but declares ${usize}`, name);
      data = comp;
    } else if (method === 8) {
      try {
        // Inflating stops one byte past the declared size: a lying header cannot make it allocate more.
        data = inflateRawSync(comp, { maxOutputLength: Math.max(1, usize + 1) });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw new ZipFormatError(`decompresses to more than its declared ${usize} bytes (corrupt archive or zip bomb)`, name);
        throw new ZipFormatError(`corrupt deflate data (${(err as Error).message})`, name);
      }
      if (data.length !== usize) throw new ZipFormatError(`decompresses to ${data.length} bytes but declares ${usize} (corrupt archive)`, name);
    } else {
      throw new ZipFormatError(`compression method ${method} is not supported (stored and deflate are)`, name);
    }
    if (crc32(data) >>> 0 !== crc) throw new ZipFormatError('CRC-32 mismatch: the data are corrupt', name);
    out.push({ name, data });
  }
  return out;
}

/** A ZIP archive of stored (uncompressed) entries, as `numpy.savez` writes. Entries below 4 GiB in all. */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const crc = crc32(e.data) >>> 0;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL_SIG, true);
    lv.setUint16(4, 20, true); // version needed
    lv.setUint16(6, 0x800, true); // UTF-8 names
    lv.setUint16(8, 0, true); // stored
    lv.setUint16(10, 0, true); // time
    lv.setUint16(12, 0x21, true); // date 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, CENTRAL_SIG, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint16(12, 0, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(38, 0o644 << 16, true); // external attributes: -rw-r--r--
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, e.data);
    centrals.push(central);
    offset += local.length + e.data.length;
    if (offset > U32_MAX) throw new RangeError('writeZip: archives of 4 GiB or more are not supported');
  }
  const cdSize = centrals.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, EOCD_SIG, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let q = 0;
  for (const part of [...locals, ...centrals, eocd]) {
    out.set(part, q);
    q += part.length;
  }
  return out;
}
