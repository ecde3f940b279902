/** Compressed sparse rows: row r's entries are columns[rowStart[r] .. rowStart[r + 1]). */
export interface CsrMatrix {
  rows: number;
  columns: number;
  rowStart: Int32Array;
  columnIndex: Int32Array;
  values: Float64Array;
}
