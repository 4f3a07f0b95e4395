/**
 * Tensor files read exactly: every element of the fixtures (saved by numpy.savez, savez_compressed
 * and a hand-written safetensors writer from torch tensors) against numpy's own float64 value of it,
 * recorded as float.hex() in expected.json; dtype conversions against hand-computed values; writers
 * against the readers.
 */
import { Rational } from '../../src/field/rational.js';
import { decodeElements, encodeElements, roundRational, UnrepresentableError } from '../../src/interop/dtypes.js';
import { readNpy, writeNpy } from '../../src/interop/npy.js';
import { encodeTensorFile, naturalCompare, parseTensorFile, readTensorFile } from '../../src/interop/tensor-file.js';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { checkProperty } from '../support/property.js';
import { expected, fixture, fromHex } from './helpers.js';

describe('fixtures read exactly (values as numpy records them)', () => {
  for (const [file, tensors] of Object.entries(expected.tensors)) {
    test(file, () => {
      const tf = readTensorFile(fixture(file));
      for (const [name, want] of Object.entries(tensors)) {
        const t = tf.tensors.find((x) => x.name === name);
        expect(t).toBeDefined();
        expect(t?.shape).toEqual(want.shape);
        const values = Array.from(t?.values ?? []);
        if (want.hex !== undefined) expect(values).toEqual(want.hex.map(fromHex));
        if (want.ints !== undefined) expect(values).toEqual(want.ints);
      }
    });
  }

  test('file order: npz keeps the state_dict order, dtypes as saved', () => {
    const f32 = readTensorFile(fixture('dln_f32.npz'));
    expect(f32.format).toBe('npz');
    expect(f32.tensors.map((t) => [t.name, t.dtype])).toEqual([
      ['layers.0.weight', 'float32'],
      ['layers.1.weight', 'float32'],
      ['layers.2.weight', 'float32'],
    ]);
    expect(readTensorFile(fixture('dln_f16.npz')).tensors[0]?.dtype).toBe('float16');
    expect(readTensorFile(fixture('dln_bf16.safetensors')).tensors.map((t) => t.dtype)).toEqual(['bfloat16', 'bfloat16', 'bfloat16']);
    expect(readTensorFile(fixture('twolayer_data_ce.npz')).tensors.find((t) => t.name === 'targets')?.dtype).toBe('int64');
  });

  test('Fortran order and big-endian arrays read as the same values', () => {
    const plain = readTensorFile(fixture('dln_data.npz'));
    const odd = readTensorFile(fixture('dln_data_fortran_bigendian.npz'));
    for (const name of ['inputs', 'targets']) {
      expect(Array.from(odd.tensors.find((t) => t.name === name)?.values ?? [])).toEqual(Array.from(plain.tensors.find((t) => t.name === name)?.values ?? []));
    }
  });

  test('the bfloat16 values are the float32 ones with the low 16 bits rounded to nearest even', () => {
    const f32 = readTensorFile(fixture('dln_f32.safetensors')).tensors;
    const bf = readTensorFile(fixture('dln_bf16.safetensors')).tensors;
    const view = new DataView(new ArrayBuffer(4));
    f32.forEach((t, k) => {
      Array.from(t.values).forEach((x, i) => {
        view.setFloat32(0, x);
        const bits = view.getUint32(0);
        const lower = bits & 0xffff;
        let upper = bits >>> 16;
        if (lower > 0x8000 || (lower === 0x8000 && (upper & 1) === 1)) upper += 1;
        view.setUint32(0, upper << 16);
        expect(bf[k]?.values[i]).toBe(view.getFloat32(0));
      });
    });
  });
});

describe('dtype values (computed by hand)', () => {
  const tenth = Rational.parse('0.1');
  test.each([
    // 0.1 = 1.6·2^-4; with s significand bits it is round(0.1·2^(s+3)) / 2^(s+3).
    ['float16', '819/8192'], // 11 bits: 0.1·2^14 = 1638.4 → 1638
    ['bfloat16', '205/2048'], // 8 bits: 0.1·2^11 = 204.8 → 205
    ['float32', '13421773/134217728'], // 24 bits: 0.1·2^27 = 13421772.8 → 13421773
    ['float64', '3602879701896397/36028797018963968'], // 53 bits: 0.1·2^55 = 3602879701896396.8 → …397
  ] as const)('0.1 in %s is %s', (dtype, q) => {
    const r = roundRational(tenth, dtype);
    expect(Rational.fromNumber(r.value).toString()).toBe(q);
    expect(r.exact).toBe(false);
    // and it decodes from its own encoding to the same value
    expect(decodeElements(encodeElements([r.value], dtype), 0, 1, dtype)[0]).toBe(r.value);
  });

  test('float16 edges: largest finite, overflow, subnormals, ties to even', () => {
    expect(roundRational(Rational.fromBigInt(65504n), 'float16')).toEqual({ value: 65504, exact: true });
    expect(roundRational(Rational.fromBigInt(65519n), 'float16').value).toBe(65504); // below the midpoint 65520
    expect(() => roundRational(Rational.fromBigInt(65520n), 'float16')).toThrow(UnrepresentableError); // ties to even → 65536, out of range
    expect(roundRational(new Rational(1n, 2n ** 24n), 'float16')).toEqual({ value: 2 ** -24, exact: true }); // smallest subnormal
    expect(roundRational(new Rational(1n, 2n ** 25n), 'float16').value).toBe(0); // tie between 0 and 2^-24: even is 0
    expect(roundRational(new Rational(3n, 2n ** 26n), 'float16').value).toBe(2 ** -24); // 0.75·2^-24 → 2^-24
    expect(roundRational(new Rational(3n, 2n ** 25n), 'float16').value).toBe(2 ** -23); // 1.5·2^-24: tie, even is 2·2^-24
    expect(roundRational(new Rational(2049n, 1n), 'float16').value).toBe(2048); // 2049 between 2048 and 2050: even mantissa
    expect(roundRational(new Rational(2051n, 1n), 'float16').value).toBe(2052);
    expect(roundRational(Rational.parse('-1/3'), 'float16').value).toBe(-1365 / 4096); // 1/3·2^12 = 1365.33 → 1365
  });

  test('float32 rounding equals Math.fround of the exact double (property)', () => {
    checkProperty(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -3e38, max: 3e38 }), (x) => {
        // (a value that underflows keeps its sign: −5e-324 rounds to −0, as in IEEE arithmetic)
        expect(roundRational(Rational.fromNumber(x), 'float32').value).toBe(Math.fround(x));
      }),
    );
  });

  test('float64 rounding of a rational equals the nearest double, by bracketing', () => {
    checkProperty(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 25n }), (p, q) => {
        const r = new Rational(p, q);
        const v = roundRational(r, 'float64').value;
        const err = Rational.fromNumber(v).sub(r).abs();
        // No double closer: both neighbours are at least as far (ties go to even, checked above).
        for (const w of [nextAfter(v, Infinity), nextAfter(v, -Infinity)]) expect(Rational.fromNumber(w).sub(r).abs().compare(err)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  test('int64 beyond ±2^53 decodes as NaN (so readers can name it), others exactly', () => {
    const bytes = new Uint8Array(16);
    const v = new DataView(bytes.buffer);
    v.setBigInt64(0, 2n ** 60n, true);
    v.setBigInt64(8, -(2n ** 53n), true);
    expect(Array.from(decodeElements(bytes, 0, 2, 'int64'))).toEqual([NaN, -(2 ** 53)]);
  });
});

function nextAfter(x: number, dir: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  let bits = b.getBigUint64(0);
  if (x === 0) return dir > 0 ? 5e-324 : -5e-324;
  bits += (x > 0) === dir > 0 ? 1n : -1n;
  b.setBigUint64(0, bits);
  return b.getFloat64(0);
}

describe('writers', () => {
  test('npy round trip, and the header is padded to 64 bytes as NumPy writes it', () => {
    const data = encodeElements([1.5, -2, 0.25, 3], 'float32');
    const bytes = writeNpy('float32', [2, 2], data);
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + new DataView(bytes.buffer).getUint16(8, true)));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 2\), \} *\n$/);
    expect((10 + header.length) % 64).toBe(0);
    const t = readNpy(bytes, 'x', 'x.npy');
    expect(Array.from(t.values)).toEqual([1.5, -2, 0.25, 3]);
  });

  test.each(['npz', 'safetensors'] as const)('%s: write then read gives the same names, order, dtypes, shapes and bits (-0 kept)', (format) => {
    const tensors = [
      { name: 'z.weight', dtype: 'float16' as const, shape: [2, 3], values: [0.5, -0, 65504, 2 ** -24, -1.25, 3] },
      { name: 'a.weight', dtype: 'float32' as const, shape: [1, 2], values: [Math.fround(0.1), -3] },
      { name: 'labels', dtype: 'int64' as const, shape: [3], values: [0, 2, 1] },
      { name: 'm.weight', dtype: 'float64' as const, shape: [2, 1], values: [0.1, -1e-300] },
      ...(format === 'safetensors' ? [{ name: 'b.weight', dtype: 'bfloat16' as const, shape: [2], values: [1.5, -0.0078125] }] : []),
    ];
    const back = parseTensorFile(encodeTensorFile(format, tensors), `t.${format}`);
    expect(back.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual(tensors.map((t) => [t.name, t.dtype, t.shape]));
    back.tensors.forEach((t, k) => Array.from(t.values).forEach((x, i) => expect(Object.is(x, tensors[k]?.values[i])).toBe(true)));
  });

  test('natural order of names (safetensors without a recorded order)', () => {
    expect(['layers.10.weight', 'layers.2.weight', 'layers.0.weight', 'fc.weight'].sort(naturalCompare)).toEqual(['fc.weight', 'layers.0.weight', 'layers.2.weight', 'layers.10.weight']);
  });
});

describe('Rational.fromNumber (the exact reading of every stored value)', () => {
  test('is the reduced m/2^k of the double, against an independent gcd reduction (property)', () => {
    checkProperty(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const q = Rational.fromNumber(x);
        // Independent: x = m · 2^e from the bits, reduced by the Rational constructor's gcd.
        const v = new DataView(new ArrayBuffer(8));
        v.setFloat64(0, x);
        const bits = v.getBigUint64(0);
        const be = Number((bits >> 52n) & 0x7ffn);
        const m = (bits & ((1n << 52n) - 1n)) | (be === 0 ? 0n : 1n << 52n);
        const e = (be === 0 ? 1 : be) - 1075;
        const sign = bits >> 63n === 1n ? -1n : 1n;
        const want = e >= 0 ? new Rational(sign * m * 2n ** BigInt(e)) : new Rational(sign * m, 2n ** BigInt(-e));
        expect([q.num, q.den]).toEqual([want.num, want.den]);
      }),
      { numRuns: 1000 },
    );
    for (const x of [5e-324, -5e-324, 0.5, 1.5, 2 ** -1074 * 3, 0.1, Math.fround(0.1)]) expect(Rational.fromNumber(x).toNumber()).toBe(x);
  });
});

describe('Zip64', () => {
  test('an archive whose central directory and end record use Zip64 fields reads like a plain one', () => {
    const npy = writeNpy('float64', [2], encodeElements([0.5, -3], 'float64'));
    const name = Buffer.from('w.npy');
    const FF = 0xffffffff;
    const z64 = (values: number[]): Buffer => {
      const b = Buffer.alloc(4 + 8 * values.length);
      b.writeUInt16LE(0x0001, 0);
      b.writeUInt16LE(8 * values.length, 2);
      values.forEach((v, k) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * k));
      return b;
    };
    const crc = crc32(npy) >>> 0;
    const localExtra = z64([npy.length, npy.length]);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(45, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(FF, 18);
    local.writeUInt32LE(FF, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const localPart = Buffer.concat([local, name, localExtra, Buffer.from(npy)]);
    const centralExtra = z64([npy.length, npy.length, 0]);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(45, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(FF, 20);
    central.writeUInt32LE(FF, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(FF, 42);
    const centralPart = Buffer.concat([central, name, centralExtra]);
    const eocd64 = Buffer.alloc(56);
    eocd64.writeUInt32LE(0x06064b50, 0);
    eocd64.writeBigUInt64LE(44n, 4);
    eocd64.writeBigUInt64LE(1n, 24);
    eocd64.writeBigUInt64LE(1n, 32);
    eocd64.writeBigUInt64LE(BigInt(centralPart.length), 40);
    eocd64.writeBigUInt64LE(BigInt(localPart.length), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(localPart.length + centralPart.length), 8);
    locator.writeUInt32LE(1, 16);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(0xffff, 8);
    eocd.writeUInt16LE(0xffff, 10);
    eocd.writeUInt32LE(FF, 12);
    eocd.writeUInt32LE(FF, 16);
    const tf = parseTensorFile(new Uint8Array(Buffer.concat([localPart, centralPart, eocd64, locator, eocd])), 'z64.npz');
    expect(tf.tensors.map((t) => [t.name, t.dtype, t.shape, Array.from(t.values)])).toEqual([['w', 'float64', [2], [0.5, -3]]]);
  });
});

describe('properties over every dtype', () => {
  const floatDtypes = ['float16', 'bfloat16', 'float32', 'float64'] as const;
  const width = { float16: 2, bfloat16: 2, float32: 4, float64: 8 } as const;

  /** The neighbours of a finite value in its format, by stepping its bit pattern (little-endian). */
  function neighbours(x: number, dtype: (typeof floatDtypes)[number]): number[] {
    const bytes = encodeElements([x], dtype);
    const out: number[] = [];
    for (const step of [1n, -1n]) {
      const b = new Uint8Array(bytes);
      const v = new DataView(b.buffer);
      const w = width[dtype];
      const bits = w === 8 ? v.getBigUint64(0, true) : BigInt(w === 4 ? v.getUint32(0, true) : v.getUint16(0, true));
      const mag = bits & ((1n << BigInt(8 * w - 1)) - 1n);
      const neg = bits !== mag;
      // stepping the magnitude moves away from or towards zero; crossing zero flips the sign
      let next = mag + (neg ? -step : step);
      let sign = neg;
      if (next < 0n) {
        next = 1n;
        sign = !neg;
      }
      const nb = (sign ? 1n << BigInt(8 * w - 1) : 0n) | next;
      if (w === 8) v.setBigUint64(0, nb, true);
      else if (w === 4) v.setUint32(0, Number(nb), true);
      else v.setUint16(0, Number(nb), true);
      const y = decodeElements(b, 0, 1, dtype)[0] as number;
      if (Number.isFinite(y)) out.push(y);
    }
    return out;
  }

  test('roundRational gives a nearest value of the format (no neighbour is closer), for every float dtype', () => {
    checkProperty(
      fc.property(fc.constantFrom(...floatDtypes), fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 14n }), (dtype, p, q) => {
        const r = new Rational(p, q);
        let value: number;
        try {
          value = roundRational(r, dtype).value;
        } catch (e) {
          if (e instanceof UnrepresentableError) return; // beyond float16's range
          throw e;
        }
        const err = Rational.fromNumber(value).sub(r).abs();
        for (const w of neighbours(value, dtype)) expect(Rational.fromNumber(w).sub(r).abs().compare(err)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  test('any finite bit pattern survives write → read in both formats (npz without bfloat16)', () => {
    checkProperty(
      fc.property(fc.constantFrom(...floatDtypes), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.constantFrom('npz' as const, 'safetensors' as const), (dtype, raw, format) => {
        if (format === 'npz' && dtype === 'bfloat16') return;
        const n = 16 / width[dtype];
        const values = Array.from(decodeElements(raw, 0, n, dtype)).map((x) => (Number.isFinite(x) ? x : 1));
        const back = parseTensorFile(encodeTensorFile(format, [{ name: 't', dtype, shape: [n], values }]), `p.${format}`).tensors[0];
        Array.from(back?.values ?? []).forEach((x, k) => expect(Object.is(x, values[k])).toBe(true));
      }),
    );
  });
});
