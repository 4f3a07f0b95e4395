/**
 * Bad input: truncated and corrupt archives, zip bombs, unsupported dtypes, hostile safetensors
 * headers, shapes that do not chain, missing keys, biases, non-finite values, broken tensor
 * references. Each is an InputError (exit 2) whose message names the file and the tensor, and the
 * CLI writes nothing.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { InputError } from '../../src/errors/input-error.js';
import { encodeElements } from '../../src/interop/dtypes.js';
import { TensorFileError } from '../../src/interop/errors.js';
import { writeNpy } from '../../src/interop/npy.js';
import { encodeTensorFile, parseTensorFile } from '../../src/interop/tensor-file.js';
import { readZip } from '../../src/interop/zip.js';
import { runCli } from '../support/cli.js';
import { fixture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'interop-hostile-'));
let counter = 0;
const file = (bytes: Uint8Array, ext = 'npz'): string => {
  const p = join(dir, `f${counter++}.${ext}`);
  writeFileSync(p, bytes);
  return p;
};

/** Runs `import` and checks: exit 2, the message matches, no output file. Returns stderr. */
function refused(args: string[], ...patterns: RegExp[]): string {
  const out = join(dir, `out${counter++}.json`);
  const r = runCli('import', ...args, '--out', out);
  expect(r.code).toBe(2);
  for (const p of patterns) expect(r.stderr).toMatch(p);
  expect(existsSync(out)).toBe(false);
  expect(existsSync(out.replace(/\.json$/, '.safetensors'))).toBe(false);
  return r.stderr;
}

const goodData = fixture('dln_data.npz');

/** A ZIP with one deflated entry whose header declares `declared` bytes (honest or not). */
function deflatedZip(name: string, data: Uint8Array, declared = data.length): Uint8Array {
  const comp = deflateRawSync(data);
  const nm = Buffer.from(name);
  const local = Buffer.alloc(30 + nm.length);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data) >>> 0, 14);
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(nm.length, 26);
  nm.copy(local, 30);
  const central = Buffer.alloc(46 + nm.length);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data) >>> 0, 16);
  central.writeUInt32LE(comp.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(nm.length, 28);
  nm.copy(central, 46);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length, 12);
  eocd.writeUInt32LE(local.length + comp.length, 16);
  return new Uint8Array(Buffer.concat([local, comp, central, eocd]));
}

/** An npz holding one float32 array whose `descr` is replaced by `descr` (same length). */
function npzWithDescr(descr: string): Uint8Array {
  const npy = writeNpy('float32', [2, 2], encodeElements([1, 2, 3, 4], 'float32'));
  const text = Buffer.from(npy).toString('latin1').replace("'<f4'", `'${descr}'`);
  return encodeRawZip('layers.0.weight.npy', new Uint8Array(Buffer.from(text, 'latin1')));
}

function encodeRawZip(name: string, data: Uint8Array): Uint8Array {
  return deflatedZip(name, data);
}

function safetensors(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array {
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerLength ?? h.length));
  return new Uint8Array(Buffer.concat([len, h, Buffer.from(data)]));
}

describe('corrupt and truncated archives', () => {
  const good = readFileSync(fixture('dln_f32.npz'));

  test('a truncated .npz', () => {
    const p = file(good.subarray(0, Math.floor(good.length / 2)));
    refused([p, '--kind', 'dln', '--data', goodData], new RegExp(`${p.replace(/[.]/g, '\\.')}: .*truncated`));
  });

  test('a flipped data byte fails the CRC check, naming the array', () => {
    const bad = Buffer.from(good);
    const at = bad.indexOf(Buffer.from('layers.1.weight.npy')) + 'layers.1.weight.npy'.length + 200; // inside the second array's data
    bad[at] = (bad[at] as number) ^ 0xff;
    refused([file(bad), '--kind', 'dln', '--data', goodData], /CRC-32 mismatch/, /tensor "layers\.\d\.weight"/);
  });

  test('a corrupt deflate stream', () => {
    const z = Buffer.from(deflatedZip('a.weight.npy', new Uint8Array(4096).fill(7)));
    // the compressed data start after the 30-byte local header and the 12-byte name
    z[42] = (z[42] as number) ^ 0x5a;
    z[43] = (z[43] as number) ^ 0xa5;
    refused([file(z), '--kind', 'dln', '--data', goodData], /tensor "a\.weight": (corrupt deflate data|CRC-32 mismatch|decompresses)/);
  });

  test('a zip bomb that declares its size beyond the limit is refused before inflating', () => {
    // 3 GiB declared (0xC0000000): the per-entry limit is 1 GiB
    const z = deflatedZip('bomb.weight.npy', new Uint8Array(1 << 20), 0xc0000000);
    refused([file(z), '--kind', 'dln', '--data', goodData], /tensor "bomb\.weight": decompresses to 3221225472 bytes; the limit is 1073741824 bytes per entry/);
  });

  test('a zip bomb that lies about its size stops one byte past the declared size', () => {
    const z = deflatedZip('bomb.weight.npy', new Uint8Array(16 << 20), 100); // 16 MiB of zeros declared as 100 bytes
    refused([file(z), '--kind', 'dln', '--data', goodData], /decompresses to more than its declared 100 bytes \(corrupt archive or zip bomb\)/);
  });

  test('the limit is enforced while inflating (library, small limit)', () => {
    const z = deflatedZip('a.npy', new Uint8Array(5000));
    expect(() => readZip(z, { maxEntryBytes: 1000, maxTotalBytes: 10000, maxEntries: 10 })).toThrow(/decompresses to 5000 bytes; the limit is 1000 bytes per entry/);
  });

  test('a pickle (torch.save) is refused with the reason', () => {
    refused([file(new Uint8Array([0x80, 0x02, 0x63, 0x00]), 'pt'), '--kind', 'dln', '--data', goodData], /pickle/);
  });
});

describe('unsupported dtypes', () => {
  test.each([
    ['<c8', /dtype <c8 \(complex64\) is not supported/],
    ['|b1', /dtype \|b1 \(bool\) is not supported/],
    ['<u4', /dtype <u4 \(uint32\) is not supported/],
    ['<V2', /ml_dtypes bfloat16/],
  ])('npy %s', (descr, pattern) => {
    refused([file(npzWithDescr(descr)), '--kind', 'dln', '--data', goodData], pattern, /tensor "layers\.0\.weight"/);
  });

  test('safetensors U8 and F8_E4M3', () => {
    for (const dt of ['U8', 'F8_E4M3']) {
      const p = file(safetensors({ 'fc.weight': { dtype: dt, shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)), 'safetensors');
      refused([p, '--kind', 'dln', '--data', goodData], new RegExp(`tensor "fc\\.weight": dtype "${dt}" is not supported`));
    }
  });
});

describe('hostile safetensors headers', () => {
  test('a header length beyond the limit', () => {
    const p = file(safetensors({}, new Uint8Array(0), 200_000_000), 'safetensors');
    refused([p, '--kind', 'dln', '--data', goodData], /header length 200000000 bytes exceeds the limit of 100000000 bytes/);
  });

  test('a header length past the end of the file', () => {
    const p = file(safetensors({}, new Uint8Array(0), 5000), 'safetensors');
    refused([p, '--kind', 'dln', '--data', goodData], /runs past the end of the file/);
  });

  test('overlapping offsets name both tensors', () => {
    const header = {
      'a.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      'b.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [8, 24] },
    };
    refused([file(safetensors(header, new Uint8Array(24)), 'safetensors'), '--kind', 'dln', '--data', goodData], /tensor "b\.weight": data_offsets \[8, 24\] overlap those of tensor "a\.weight" \[0, 16\]/);
  });

  test('offsets past the data', () => {
    const header = { 'a.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } };
    refused([file(safetensors(header, new Uint8Array(8)), 'safetensors'), '--kind', 'dln', '--data', goodData], /tensor "a\.weight": data_offsets \[0, 16\] run past the end of the data \(8 bytes/);
  });

  test('offsets that disagree with shape × dtype', () => {
    const header = { 'a.weight': { dtype: 'F64', shape: [2, 2], data_offsets: [0, 16] } };
    refused([file(safetensors(header, new Uint8Array(16)), 'safetensors'), '--kind', 'dln', '--data', goodData], /tensor "a\.weight": data_offsets \[0, 16\] hold 16 bytes, but shape \[2, 2\] of F64 needs 32/);
  });

  test('a header that is not JSON', () => {
    const h = Buffer.from('{"a": ');
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(h.length));
    refused([file(new Uint8Array(Buffer.concat([len, h])), 'safetensors'), '--kind', 'dln', '--data', goodData], /header is not valid UTF-8 JSON/);
  });
});

describe('tensors that do not form the model', () => {
  const f32 = (name: string, shape: number[], values?: number[]) => ({ name, dtype: 'float32' as const, shape, values: values ?? new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0.5) });

  test('shapes that do not chain name both tensors and the dimension', () => {
    const p = file(encodeTensorFile('npz', [f32('fc1.weight', [4, 3]), f32('fc2.weight', [2, 5])]));
    refused([p, '--kind', 'dln', '--data', goodData], /tensor "fc2\.weight" \(shape \(2, 5\), layer 2\) takes 5 inputs, but "fc1\.weight" \(shape \(4, 3\), layer 1\) has 4 outputs: d_1 must agree/);
  });

  test('inputs of the wrong width name the tensor and d_0', () => {
    const p = file(encodeTensorFile('npz', [f32('fc1.weight', [4, 7]), f32('fc2.weight', [2, 4])]));
    refused([p, '--kind', 'dln', '--data', goodData], /tensor "inputs" has shape \(5, 3\); expected \(n, 7\): inputs are n × d_0, one row per sample, d_0 = 7/);
  });

  test('missing data keys list what was expected and what was found', () => {
    const data = file(encodeTensorFile('npz', [f32('x', [5, 3]), f32('y', [5, 2])]));
    refused([fixture('dln_f32.npz'), '--kind', 'dln', '--data', data], /a dln model needs the arrays "inputs" \(n × d_0, one row per sample\) and "targets" \(n × d_N\); missing "inputs", "targets" \(found "x", "y"\)/);
    refused([fixture('dmf_f64.npz'), '--kind', 'dmf', '--data', goodData], /needs the array "target" \(d_N × d_0\); missing "target" \(found "inputs", "targets"\)/);
  });

  test('a bias is refused for deep linear networks, naming the tensor and why; a bias of the wrong shape is refused for two-layer nets', () => {
    const p = file(encodeTensorFile('npz', [f32('fc1.weight', [4, 3]), f32('fc1.bias', [4]), f32('fc2.weight', [2, 4])]));
    refused([p, '--kind', 'dln', '--data', goodData], /tensor "fc1\.bias" \(shape \(4,\)\) is a bias of layer 1: deep linear networks are bias-free by design/);
    const q = file(encodeTensorFile('npz', [f32('fc1.weight', [4, 3]), f32('fc1.bias', [3]), f32('fc2.weight', [2, 4])]));
    refused([q, '--kind', 'two-layer', '--activation', 'relu', '--data', goodData], /bias "fc1\.bias" has shape \(3,\); layer 1 has 4 outputs, so its bias must have shape \(4,\)/);
  });

  test('other tensors (buffers) are named', () => {
    const p = file(encodeTensorFile('npz', [f32('fc1.weight', [4, 3]), f32('bn.running_mean', [4])]));
    refused([p, '--kind', 'dln', '--data', goodData], /tensors "bn\.running_mean" are neither layer weights/);
  });

  test('NaN and infinity name the tensor and the element', () => {
    const p = file(encodeTensorFile('npz', [f32('fc1.weight', [2, 3], [0, 1, 2, 3, NaN, 5]), f32('fc2.weight', [2, 2])]));
    refused([p, '--kind', 'dln', '--data', goodData], /tensor "fc1\.weight", element \[1, 1\] is NaN; entries must be finite/);
  });

  test('class indices out of range, and float labels', () => {
    const data = file(encodeTensorFile('npz', [{ name: 'inputs', dtype: 'float64', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] }, { name: 'targets', dtype: 'int64', shape: [2], values: [0, 3] }]));
    refused([fixture('twolayer_relu_f32.npz'), '--kind', 'two-layer', '--activation', 'relu', '--loss', 'cross-entropy', '--data', data], /tensor "targets", element \[1\] is 3: class indices are 0\.\.2/);
    refused([fixture('twolayer_relu_f32.npz'), '--kind', 'two-layer', '--activation', 'relu', '--loss', 'cross-entropy', '--data', fixture('twolayer_data_sq.npz')], /tensor "targets", row \[0\] is not one-hot/);
    const ints2d = file(encodeTensorFile('npz', [{ name: 'inputs', dtype: 'float64', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] }, { name: 'targets', dtype: 'int64', shape: [2, 1], values: [0, 1] }]));
    refused([fixture('twolayer_relu_f32.npz'), '--kind', 'two-layer', '--activation', 'relu', '--loss', 'cross-entropy', '--data', ints2d], /cross-entropy takes n class indices/);
  });

  test('a two-layer import needs exactly two layers and an activation', () => {
    refused([fixture('dln_f32.npz'), '--kind', 'two-layer', '--activation', 'tanh', '--data', goodData], /a two-layer model needs exactly 2 layer weights, found 3/);
    refused([fixture('twolayer_relu_f32.npz'), '--kind', 'two-layer', '--data', fixture('twolayer_data_sq.npz')], /needs --activation/);
  });
});

describe('broken tensor references in a model file', () => {
  const model = (ref: Record<string, unknown>): string => {
    const p = join(dir, `m${counter++}.json`);
    writeFileSync(p, JSON.stringify({ kind: 'dmf', weights: [ref], target: [[1, 0], [0, 1]] }));
    return p;
  };
  test.each([
    [{ file: 'nope.safetensors', tensor: 'w' }, /weights\[1\]: cannot read: no such file \(nope\.safetensors\)/],
    [{ file: '../../' + 'x', tensor: 'w' }, /weights\[1\]: cannot read/],
    [{ tensor: 'w' }, /a tensor reference needs "file" and "tensor"/],
    [{ file: 'a.npz', tensor: 'w', extra: 1 }, /unknown key "extra" \(allowed keys: "file", "tensor", "transpose"\)/],
  ])('%j', (ref, pattern) => {
    const r = runCli('check', model(ref));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
  });

  test('a tensor the file does not have, listing the ones it has', () => {
    const p = model({ file: fixture('dmf_f64.npz'), tensor: 'layers.9.weight' });
    const r = runCli('check', p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no tensor "layers\.9\.weight" \(it has "layers\.0\.weight", "layers\.1\.weight"\)/);
  });

  test('errors are InputErrors (library)', () => {
    expect(() => parseTensorFile(new Uint8Array(3), 'x.safetensors')).toThrow(TensorFileError);
    expect(() => parseTensorFile(new Uint8Array(3), 'x.safetensors')).toThrow(InputError);
  });
});

describe('inputs are never overwritten', () => {
  test('a companion tensor file that would replace the weights file is refused', () => {
    const copy = join(dir, 'model.safetensors');
    writeFileSync(copy, readFileSync(fixture('dln_f32.safetensors')));
    const before = readFileSync(copy);
    const r = runCli('import', copy, '--kind', 'dln', '--data', goodData, '--tensors', 'file', '--out', join(dir, 'model.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would replace the input/);
    expect(Buffer.compare(readFileSync(copy), before)).toBe(0);
    expect(existsSync(join(dir, 'model.json'))).toBe(false);
  });
});

describe('export usage', () => {
  test('a sharpness report is explained, a missing --model asked for, an unknown format refused', () => {
    const rep = join(dir, 'sharp.json');
    writeFileSync(rep, JSON.stringify({ lambdaMax: 3, topEigenvector: { rows: 1, cols: 1, entries: [1] } }));
    const a = runCli('export', rep, '--model', 'example:scalar-chain-2', '--out', join(dir, 'e.npz'));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/eigenvector of K in the d_N × d_0 space/);
    const b = runCli('export', rep, '--out', join(dir, 'e.npz'));
    expect(b.stderr).toMatch(/give --model MODEL\.json/);
    const c = runCli('export', 'example:scalar-chain-2', '--out', join(dir, 'e.bin'));
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/give --to npz\|safetensors/);
    expect(existsSync(join(dir, 'e.npz'))).toBe(false);
  });

  test('a value beyond float16 is refused naming the tensor', () => {
    const m = join(dir, 'big.json');
    writeFileSync(m, JSON.stringify({ weights: [[[70000]]], target: [[1]] }));
    const r = runCli('export', m, '--dtype', 'float16', '--out', join(dir, 'big.npz'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.json: tensor "layers\.0\.weight": .*exceeds the largest finite float16; choose a wider --dtype/);
    expect(existsSync(join(dir, 'big.npz'))).toBe(false);
  });
});

test('bfloat16 weights cannot go to .npz: the message names the tensor and the way out', () => {
  const dir2 = mkdtempSync(join(tmpdir(), 'interop-bf16-'));
  const m = join(dir2, 'm.json');
  expect(runCli('import', fixture('dln_bf16.safetensors'), '--kind', 'dln', '--data', goodData, '--out', m).code).toBe(0);
  const r = runCli('export', m, '--out', join(dir2, 'w.npz'));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/tensor "layers\.0\.weight" is bfloat16, which \.npz cannot hold/);
  expect(existsSync(join(dir2, 'w.npz'))).toBe(false);
  expect(runCli('export', m, '--dtype', 'float32', '--out', join(dir2, 'w.npz')).stdout).toMatch(/exact/);
});

test('a torch.save file (ZIP of pickles) is refused with the reason', () => {
  // the layout of torch.save since PyTorch 1.6: archive/data.pkl, archive/data/0, archive/version
  const zip = deflatedZip('archive/data.pkl', new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]));
  refused([file(zip, 'pt'), '--kind', 'dln', '--data', goodData], /this is a torch\.save file \(a ZIP of pickles\)/);
});

describe('two-layer biases through import (against PyTorch)', () => {
  // test/fixtures/torch-order/make.py: nn.Sequential(Linear(3, 4), Tanh(), Linear(4, 2)) with biases,
  // nn.MSELoss(reduction='mean'); torch's own loss and Hessian eigenvalues are in torch-mean.json.
  const fx = join(__dirname, '..', 'fixtures', 'torch-order');
  const m = JSON.parse(readFileSync(join(fx, 'model-mean.json'), 'utf8')) as {
    weights: number[][][];
    biases: number[][];
    data: { inputs: number[][]; targets: number[][] };
  };
  const torch = JSON.parse(readFileSync(join(fx, 'torch-mean.json'), 'utf8')) as { loss: number; lambdaMax: number; lambdaMin: number };
  const f64 = (name: string, rows: number[][] | number[]): { name: string; dtype: 'float64'; shape: number[]; values: number[] } =>
    Array.isArray(rows[0])
      ? { name, dtype: 'float64', shape: [rows.length, (rows[0] as number[]).length], values: (rows as number[][]).flat() }
      : { name, dtype: 'float64', shape: [rows.length], values: rows as number[] };
  const transpose = (A: number[][]): number[][] => (A[0] as number[]).map((_, j) => A.map((r) => r[j] as number));

  test('0.bias and 2.bias become b_1 and b_2; loss and λ_max, λ_min equal torch`s', () => {
    const weights = file(
      encodeTensorFile('npz', [
        f64('0.weight', m.weights[0] as number[][]),
        f64('0.bias', m.biases[0] as number[]),
        f64('2.weight', m.weights[1] as number[][]),
        f64('2.bias', m.biases[1] as number[]),
      ]),
    );
    // Our data files hold samples as columns; torch's (and the import's) as rows.
    const data = file(encodeTensorFile('npz', [f64('inputs', transpose(m.data.inputs)), f64('targets', transpose(m.data.targets))]));
    const out = join(dir, 'bias-import.json');
    const r = runCli('import', weights, '--kind', 'two-layer', '--activation', 'tanh', '--reduction', 'mean', '--data', data, '--out', out);
    expect(r.code).toBe(0);
    const c = JSON.parse(runCli('check', out, '--json').stdout) as { loss: number };
    expect(Math.abs(c.loss - torch.loss)).toBeLessThan(1e-12 * Math.abs(torch.loss));
    const s = JSON.parse(runCli('sharpness', out, '--json').stdout) as { lambdaMax: number; lambdaMin: number };
    expect(Math.abs(s.lambdaMax - torch.lambdaMax)).toBeLessThan(1e-10 * Math.abs(torch.lambdaMax));
    expect(Math.abs(s.lambdaMin - torch.lambdaMin)).toBeLessThan(1e-10 * Math.max(1, Math.abs(torch.lambdaMin)));
  });
});
