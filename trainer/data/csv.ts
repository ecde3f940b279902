/**
 * RFC 4180 CSV reading/writing for labelled text data (`text,label` files).
 *
 * Strict on purpose: a malformed file (stray quote, unterminated quote, wrong field count) is an error naming
 * the line, because silently "repairing" it would corrupt training texts. Texts are kept verbatim; cleaning
 * happens elsewhere.
 */
import { readFile } from 'node:fs/promises';
import { LABELS, isLabel, type Label } from '../../shared/labels';

export interface LabelledRow {
  text: string;
  label: Label;
}

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Parsed rows plus, per row, the 1-based physical line it starts on (for error messages). */
interface ParsedCsv {
  rows: string[][];
  lines: number[];
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/**
 * Parses RFC 4180 CSV into rows of fields. Accepts CRLF, LF (and bare CR) line endings, an optional trailing
 * line break and a leading UTF-8 BOM. Line breaks inside quoted fields are kept as they are.
 */
export function parseCsv(content: string): string[][] {
  return parseRecords(content).rows;
}

/** Parses `text,label` CSV content; `source` names the input in error messages. */
export function parseLabelledCsv(content: string, source = '<input>'): LabelledRow[] {
  // \s also matches a BOM, so a BOM-only file counts as empty.
  if (/^\s*$/.test(content)) {
    throw new CsvError(`${source} is empty: expected a header line text,label`);
  }
  const { rows, lines } = parseRecords(content, source);
  const header = rows[0];
  const { textCol, labelCol } = findColumns(header, source);
  if (rows.length === 1) {
    throw new CsvError(`${source} has no data rows: add rows of text,label below the header`);
  }
  const result: LabelledRow[] = new Array(rows.length - 1);
  for (let i = 1; i < rows.length; i++) {
    result[i - 1] = toLabelledRow(rows[i], lines[i], header.length, textCol, labelCol, source);
  }
  return result;
}

/** Reads and parses a UTF-8 `text,label` CSV file. */
export async function readLabelledCsv(path: string): Promise<LabelledRow[]> {
  const content = await readFile(path, 'utf8');
  return parseLabelledCsv(content, path);
}

/** Serialises rows as `text,label` CSV (LF line endings, trailing newline), quoting only where needed. */
export function writeLabelledCsv(rows: readonly LabelledRow[]): string {
  const lines = ['text,label'];
  for (const row of rows) lines.push(`${quoteField(row.text)},${quoteField(row.label)}`);
  return lines.join('\n') + '\n';
}

function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function at(source: string | undefined, line: number): string {
  return source === undefined ? `line ${line}` : `${source} line ${line}`;
}

function findColumns(header: string[], source: string): { textCol: number; labelCol: number } {
  const names = header.map((name) => name.trim().toLowerCase());
  const textCol = names.indexOf('text');
  const labelCol = names.indexOf('label');
  if (textCol === -1 || labelCol === -1) {
    throw new CsvError(`${source}: header must have columns text,label; found: ${header.join(',')}`);
  }
  for (const name of ['text', 'label']) {
    if (names.lastIndexOf(name) !== names.indexOf(name)) {
      throw new CsvError(`${source}: header has column "${name}" more than once; keep exactly one`);
    }
  }
  return { textCol, labelCol };
}

function toLabelledRow(
  fields: string[],
  line: number,
  width: number,
  textCol: number,
  labelCol: number,
  source: string,
): LabelledRow {
  if (fields.length !== width) {
    const blank = fields.length === 1 && fields[0] === '';
    const found = blank ? 'a blank line; remove it' : `${fields.length}; quote fields that contain commas`;
    throw new CsvError(`${at(source, line)}: expected ${width} fields like the header, found ${found}`);
  }
  const label = fields[labelCol].trim().toLowerCase();
  if (!isLabel(label)) {
    throw new CsvError(
      `${at(source, line)}: unknown label "${fields[labelCol]}"; expected one of ${LABELS.join(', ')}`,
    );
  }
  return { text: fields[textCol], label };
}

/**
 * The scanner. Works on char codes and slices (no per-char string building) so a 50 MB file parses in well
 * under a second. Tracks physical line numbers, counting line breaks inside quoted fields too.
 */
function parseRecords(content: string, source?: string): ParsedCsv {
  const rows: string[][] = [];
  const lines: number[] = [];
  const end = content.length;
  let pos = content.charCodeAt(0) === BOM ? 1 : 0;
  if (pos >= end) return { rows, lines };

  let line = 1;
  let fields: string[] = [];
  lines.push(line);
  for (;;) {
    if (content.charCodeAt(pos) === QUOTE) {
      const field = scanQuoted(content, pos, line, source);
      fields.push(field.value);
      pos = field.next;
      line = field.line;
    } else {
      const next = scanUnquoted(content, pos, line, source);
      fields.push(content.slice(pos, next));
      pos = next;
    }

    if (pos >= end) {
      rows.push(fields);
      return { rows, lines };
    }
    const code = content.charCodeAt(pos);
    if (code === COMMA) {
      pos++;
      continue;
    }
    // Otherwise a line break ends the record (scanners stop only at comma, line break or end).
    pos += code === CR && content.charCodeAt(pos + 1) === LF ? 2 : 1;
    line++;
    rows.push(fields);
    if (pos >= end) return { rows, lines }; // optional trailing line break
    fields = [];
    lines.push(line);
  }
}

/** Returns the index just past an unquoted field (at a comma, line break or end of input). */
function scanUnquoted(content: string, pos: number, line: number, source?: string): number {
  const end = content.length;
  let i = pos;
  while (i < end) {
    const code = content.charCodeAt(i);
    if (code === COMMA || code === LF || code === CR) break;
    if (code === QUOTE) {
      throw new CsvError(
        `${at(source, line)}: stray '"' inside an unquoted field; ` +
          `wrap the field in quotes and double inner quotes ("")`,
      );
    }
    i++;
  }
  return i;
}

/** Scans a quoted field starting at the opening quote; returns its unescaped value and where parsing resumes. */
function scanQuoted(
  content: string,
  pos: number,
  line: number,
  source?: string,
): { value: string; next: number; line: number } {
  const startLine = line;
  let value = '';
  let chunkStart = pos + 1;
  for (;;) {
    const quote = content.indexOf('"', chunkStart);
    if (quote === -1) {
      throw new CsvError(
        `${at(source, startLine)}: unterminated quoted field; close it with '"' and double any quote inside it ("")`,
      );
    }
    line += countLineBreaks(content, chunkStart, quote);
    if (content.charCodeAt(quote + 1) === QUOTE) {
      value += content.slice(chunkStart, quote + 1); // "" is an escaped quote: keep one
      chunkStart = quote + 2;
      continue;
    }
    value += content.slice(chunkStart, quote);
    const next = quote + 1;
    const after = content.charCodeAt(next);
    if (next < content.length && after !== COMMA && after !== LF && after !== CR) {
      throw new CsvError(
        `${at(source, line)}: unexpected text after a closing quote; a quoted field must end at a comma or line end`,
      );
    }
    return { value, next, line };
  }
}

/** Counts LF, CRLF and bare CR line breaks in content[from, to). */
function countLineBreaks(content: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = content.charCodeAt(i);
    if (code === LF) count++;
    else if (code === CR && content.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}
