import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS, type Label } from '../../shared/labels';
import { CsvError, parseCsv, parseLabelledCsv, readLabelledCsv, writeLabelledCsv, type LabelledRow } from './csv';

const DATASETS = fileURLToPath(new URL('../../datasets/tweeteval/', import.meta.url));

function countLabels(rows: LabelledRow[]): Record<Label, number> {
  const counts = { negative: 0, neutral: 0, positive: 0 };
  for (const row of rows) counts[row.label]++;
  return counts;
}

/** Runs fn and returns the CsvError it throws (fails the test if it throws nothing or something else). */
function csvError(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvError);
    return error as CsvError;
  }
  throw new Error('expected a CsvError');
}

describe('parseCsv', () => {
  it('parses simple unquoted rows', () => {
    expect(parseCsv('a,b\nc,d\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('accepts a missing trailing newline', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('accepts CRLF, LF and bare CR line endings, even mixed', () => {
    expect(parseCsv('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a\r\nb\nc\rd')).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('strips a leading UTF-8 BOM only', () => {
    expect(parseCsv('\uFEFFtext,label\nx,y')).toEqual([
      ['text', 'label'],
      ['x', 'y'],
    ]);
    expect(parseCsv('a\n\uFEFFb')).toEqual([['a'], ['\uFEFFb']]);
  });

  it('returns no rows for empty input or a lone BOM', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });

  it('keeps empty fields, including trailing ones', () => {
    expect(parseCsv(',a,,\n,\n')).toEqual([
      ['', 'a', '', ''],
      ['', ''],
    ]);
  });

  it('keeps a blank line in the middle as a record with one empty field', () => {
    expect(parseCsv('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('keeps leading and trailing spaces verbatim', () => {
    expect(parseCsv('  a  , b \n')).toEqual([['  a  ', ' b ']]);
  });

  describe('quoted fields', () => {
    it('unescapes doubled quotes', () => {
      expect(parseCsv('"say ""hi""",x\n')).toEqual([['say "hi"', 'x']]);
      expect(parseCsv('""""\n')).toEqual([['"']]);
      expect(parseCsv('"a""""b"')).toEqual([['a""b']]);
    });

    it('handles an empty quoted field', () => {
      expect(parseCsv('"",""\n')).toEqual([['', '']]);
    });

    it('keeps commas and line breaks inside quotes verbatim', () => {
      expect(parseCsv('"a,b","line1\nline2\r\nline3",c\n')).toEqual([['a,b', 'line1\nline2\r\nline3', 'c']]);
    });

    it('handles a quoted field at the very end of input', () => {
      expect(parseCsv('x,"y"')).toEqual([['x', 'y']]);
    });

    it('keeps spaces inside quotes', () => {
      expect(parseCsv('" a ",b')).toEqual([[' a ', 'b']]);
    });
  });

  describe('errors', () => {
    it('names the line where an unterminated quote starts', () => {
      const error = csvError(() => parseCsv('a,b\nc,d\n"never\nclosed,x\n'));
      expect(error.message).toMatch(/^line 3: unterminated quoted field/);
    });

    it('counts line breaks inside earlier quoted fields when naming lines', () => {
      const error = csvError(() => parseCsv('"multi\nline\r\nfield",x\nok,"bad\n'));
      expect(error.message).toMatch(/^line 4: unterminated/);
    });

    it('rejects text after a closing quote', () => {
      const error = csvError(() => parseCsv('a\n"quoted"tail,b\n'));
      expect(error.message).toMatch(/^line 2: unexpected text after a closing quote/);
    });

    it('rejects a stray quote inside an unquoted field', () => {
      const error = csvError(() => parseCsv('a\nhe said "hi",b\n'));
      expect(error.message).toMatch(/^line 2: stray '"' inside an unquoted field/);
    });
  });
});

describe('parseLabelledCsv', () => {
  it('parses text,label rows', () => {
    expect(parseLabelledCsv('text,label\nI love it,positive\nmeh,neutral\n')).toEqual([
      { text: 'I love it', label: 'positive' },
      { text: 'meh', label: 'neutral' },
    ]);
  });

  it('accepts columns in any order and ignores extra columns', () => {
    const content = 'id,label,source,text\n1,negative,web,"awful, truly"\n2,positive,app,great\n';
    expect(parseLabelledCsv(content)).toEqual([
      { text: 'awful, truly', label: 'negative' },
      { text: 'great', label: 'positive' },
    ]);
  });

  it('trims and lower-cases labels, but keeps text verbatim', () => {
    expect(parseLabelledCsv('text,label\n  spaced text  , Positive \n\tx\t,NEUTRAL\n')).toEqual([
      { text: '  spaced text  ', label: 'positive' },
      { text: '\tx\t', label: 'neutral' },
    ]);
  });

  it('handles CRLF and a BOM', () => {
    expect(parseLabelledCsv('\uFEFFtext,label\r\n"a\r\nb",negative\r\n')).toEqual([
      { text: 'a\r\nb', label: 'negative' },
    ]);
  });

  it('accepts empty text (cleaning happens elsewhere)', () => {
    expect(parseLabelledCsv('text,label\n,neutral\n')).toEqual([{ text: '', label: 'neutral' }]);
  });

  describe('errors', () => {
    it('rejects an empty file', () => {
      for (const content of ['', '\uFEFF', '\n', '  \r\n']) {
        const error = csvError(() => parseLabelledCsv(content, 'data.csv'));
        expect(error.message).toBe('data.csv is empty: expected a header line text,label');
      }
    });

    it('rejects a header without text and label columns', () => {
      const error = csvError(() => parseLabelledCsv('foo,bar\n1,2\n', 'data.csv'));
      expect(error.message).toBe('data.csv: header must have columns text,label; found: foo,bar');
    });

    it('rejects a header missing only one of the columns', () => {
      const error = csvError(() => parseLabelledCsv('text,sentiment\nx,positive\n', 'data.csv'));
      expect(error.message).toBe('data.csv: header must have columns text,label; found: text,sentiment');
    });

    it('rejects a duplicated column', () => {
      const error = csvError(() => parseLabelledCsv('text,label,text\nx,positive,y\n', 'data.csv'));
      expect(error.message).toMatch(/^data\.csv: header has column "text" more than once/);
    });

    it('rejects a header with no data rows', () => {
      for (const content of ['text,label', 'text,label\n', 'text,label\r\n']) {
        const error = csvError(() => parseLabelledCsv(content, 'data.csv'));
        expect(error.message).toMatch(/^data\.csv has no data rows/);
      }
    });

    it('rejects an unknown label, naming the line', () => {
      const rows = Array.from({ length: 15 }, (_, i) => `row ${i},neutral`);
      const content = ['text,label', ...rows, 'so glad,happy', 'x,positive'].join('\n');
      const error = csvError(() => parseLabelledCsv(content, 'data.csv'));
      expect(error.message).toBe(
        'data.csv line 17: unknown label "happy"; expected one of negative, neutral, positive',
      );
    });

    it('rejects an empty label', () => {
      const error = csvError(() => parseLabelledCsv('text,label\nx,\n', 'data.csv'));
      expect(error.message).toMatch(/^data\.csv line 2: unknown label ""/);
    });

    it('rejects too many fields, naming the line and suggesting quoting', () => {
      const error = csvError(() => parseLabelledCsv('text,label\nok,neutral\nhi, there,positive\n', 'data.csv'));
      expect(error.message).toBe(
        'data.csv line 3: expected 2 fields like the header, found 3; quote fields that contain commas',
      );
    });

    it('rejects too few fields', () => {
      const error = csvError(() => parseLabelledCsv('text,label,id\nx,neutral\n', 'data.csv'));
      expect(error.message).toMatch(/^data\.csv line 2: expected 3 fields like the header, found 2/);
    });

    it('names blank lines explicitly', () => {
      const error = csvError(() => parseLabelledCsv('text,label\nx,neutral\n\n', 'data.csv'));
      expect(error.message).toBe('data.csv line 3: expected 2 fields like the header, found a blank line; remove it');
    });

    it('reports the starting line of a row after multi-line quoted text', () => {
      const content = 'text,label\n"two\nlines",neutral\nx,happy\n';
      const error = csvError(() => parseLabelledCsv(content, 'data.csv'));
      expect(error.message).toMatch(/^data\.csv line 4: unknown label/);
    });

    it('prefixes parse errors with the source', () => {
      const error = csvError(() => parseLabelledCsv('text,label\n"open,neutral\n', 'data.csv'));
      expect(error.message).toMatch(/^data\.csv line 2: unterminated quoted field/);
    });

    it('uses <input> as the default source', () => {
      const error = csvError(() => parseLabelledCsv(''));
      expect(error.message).toBe('<input> is empty: expected a header line text,label');
    });
  });
});

describe('writeLabelledCsv', () => {
  it('writes a header and quotes only where needed', () => {
    const csv = writeLabelledCsv([
      { text: 'plain', label: 'neutral' },
      { text: 'a, b', label: 'positive' },
      { text: 'say "hi"', label: 'negative' },
      { text: 'two\nlines', label: 'neutral' },
      { text: 'cr\ronly', label: 'neutral' },
    ]);
    expect(csv).toBe(
      'text,label\nplain,neutral\n"a, b",positive\n"say ""hi""",negative\n"two\nlines",neutral\n"cr\ronly",neutral\n',
    );
  });

  it('round-trips awkward texts through the parser', () => {
    const rows: LabelledRow[] = [
      'plain',
      '',
      ' leading and trailing ',
      'comma, inside',
      '"fully quoted"',
      'quote " in the middle',
      '""',
      'crlf\r\ninside',
      'lf\ninside\n',
      'trailing comma,',
      '\uFEFFbom-led text',
      'emoji 😀 and \u2019 and \\u2019',
    ].map((text, i) => ({ text, label: LABELS[i % LABELS.length] }));
    expect(parseLabelledCsv(writeLabelledCsv(rows))).toEqual(rows);
  });
});

describe('readLabelledCsv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csv-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file written by writeLabelledCsv', async () => {
    const rows: LabelledRow[] = [
      { text: 'hello, "world"', label: 'positive' },
      { text: 'bye\n', label: 'negative' },
    ];
    const path = join(dir, 'rows.csv');
    await writeFile(path, writeLabelledCsv(rows));
    expect(await readLabelledCsv(path)).toEqual(rows);
  });

  it('names the file path in errors', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'text,label\nx,happy\n');
    await expect(readLabelledCsv(path)).rejects.toThrow(`${path} line 2: unknown label "happy"`);
    await expect(readLabelledCsv(path)).rejects.toBeInstanceOf(CsvError);
  });

  it('parses the TweetEval validation split', async () => {
    const rows = await readLabelledCsv(join(DATASETS, 'val.csv'));
    expect(rows).toHaveLength(2000);
    expect(countLabels(rows)).toEqual({ negative: 312, neutral: 869, positive: 819 });
    // TweetEval texts end with a space; the reader must keep it.
    expect(rows.every((row) => row.text.endsWith(' '))).toBe(true);
  });

  it('parses the TweetEval training split', async () => {
    const rows = await readLabelledCsv(join(DATASETS, 'train.csv'));
    expect(rows).toHaveLength(45616);
    expect(countLabels(rows)).toEqual({ negative: 7094, neutral: 20674, positive: 17848 });
  });
});
