/** The one output layer (src/io/output.ts): names checked first, inputs never overwritten, all or none. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputText } from '../../src/io/input.js';
import { assertDistinctOutputs, writeFileAtomic, writeFilesAtomic } from '../../src/io/output.js';
import { beginIoRun, endIoRun } from '../../src/io/registry.js';
import { FileWriteError } from '../../src/models/errors.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'dln-output-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  endIoRun();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('writeFilesAtomic', () => {
  test('writes several files, or none when the second rename fails (the first is put back)', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.svg');
    fs.writeFileSync(a, 'old a');
    const real = fs.renameSync;
    let calls = 0;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      calls++;
      if (calls === 2) throw Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
      real(from, to);
    });
    expect(() => writeFilesAtomic([{ path: a, text: 'new a', flag: '--data' }, { path: b, text: 'new b', flag: '--out' }])).toThrow(FileWriteError);
    expect(fs.readFileSync(a, 'utf8')).toBe('old a');
    expect(fs.existsSync(b)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
    jest.restoreAllMocks();
    writeFilesAtomic([{ path: a, text: 'new a' }, { path: b, text: 'new b' }]);
    expect([fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8')]).toEqual(['new a', 'new b']);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.json', 'b.svg']);
  });

  test('refuses two outputs that are one file, before writing either', () => {
    const a = join(dir, 'a.json');
    expect(() => writeFilesAtomic([{ path: a, text: '1', flag: '--data' }, { path: join(dir, '.', 'a.json'), text: '2', flag: '--out' }])).toThrow(
      /--out ".*a.json": it is the same file as --data/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('writes through a symbolic link to its target, keeping the link', () => {
    const target = join(dir, 'target.txt');
    const link = join(dir, 'link.txt');
    fs.writeFileSync(target, 'old');
    fs.symlinkSync(target, link);
    writeFileAtomic(link, 'new');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
  });

  test('names are checked first, in words (no Node internals)', () => {
    const cases: [string, RegExp][] = [
      ['', /the file name is empty/],
      [join(dir, 'x/'), /names a directory/],
      [join(dir, 'a\u0000b'), /"[^"]*\\u0000b": the file name contains a NUL byte/],
      [dir, /it is a directory/],
      [join(dir, 'no', 'x'), /directory ".*no" does not exist/],
      [join(dir, `${'n'.repeat(256)}`), /256 bytes; the limit is 255/],
    ];
    for (const [path, message] of cases) {
      let err: unknown;
      try {
        writeFileAtomic(path, 'x', '--out');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FileWriteError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toMatch(/ENOENT|EISDIR|open '|\.tmp/);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('inputs of a run', () => {
  test('an output that is a file read in this run (any spelling, or a hard link) is refused; outside a run it is allowed', () => {
    const model = join(dir, 'model.json');
    fs.writeFileSync(model, '{}');
    fs.linkSync(model, join(dir, 'hard.json'));
    beginIoRun();
    readInputText(model, { what: 'model file', maxBytes: 100 });
    for (const p of [model, join(dir, '.', 'model.json'), join(dir, 'hard.json')]) {
      expect(() => writeFileAtomic(p, 'x', '--out')).toThrow(/it is the input model file/);
    }
    expect(fs.readFileSync(model, 'utf8')).toBe('{}');
    endIoRun();
    writeFileAtomic(model, 'edited');
    expect(fs.readFileSync(model, 'utf8')).toBe('edited');
  });

  test('assertDistinctOutputs compares with named inputs that were not read yet', () => {
    const model = join(dir, 'm.json');
    fs.writeFileSync(model, '{}');
    expect(() => assertDistinctOutputs([{ path: model, flag: '--out' }], [{ path: model }])).toThrow(/--out ".*m.json": it is the input/);
  });
});

describe('readInputText', () => {
  test('the limit is on the bytes read; special files and directories are refused up front', () => {
    const p = join(dir, 'f.json');
    fs.writeFileSync(p, 'x'.repeat(101));
    expect(() => readInputText(p, { what: 'model file', maxBytes: 100 })).toThrow(/has more than 100 bytes, the limit/);
    expect(readInputText(p, { what: 'model file', maxBytes: 101 })).toHaveLength(101);
    expect(() => readInputText('/dev/zero', { what: 'model file', maxBytes: 100 })).toThrow(/character device/);
    expect(() => readInputText(dir, { what: 'model file', maxBytes: 100 })).toThrow(/it is a directory/);
    expect(() => readInputText(join(dir, 'none.json'), { what: 'model file', maxBytes: 100 })).toThrow(/no such file$/);
    expect(() => readInputText(join(dir, 'none', 'x.json'), { what: 'model file', maxBytes: 100 })).toThrow(/does not exist/);
  });

  test('an unreadable directory is not reported as a missing file', () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const sub = join(dir, 'locked');
    fs.mkdirSync(sub);
    fs.writeFileSync(join(sub, 'm.json'), '{}');
    fs.chmodSync(sub, 0o000);
    try {
      expect(() => readInputText(join(sub, 'm.json'), { what: 'model file', maxBytes: 100 })).toThrow(/cannot be searched \(permission denied\)/);
    } finally {
      fs.chmodSync(sub, 0o755);
    }
  });

  test('a FIFO is refused without blocking', () => {
    const fifo = join(dir, 'pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    expect(() => readInputText(fifo, { what: 'model file', maxBytes: 100 })).toThrow(/FIFO/);
  });
});
