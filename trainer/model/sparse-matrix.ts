/** Compressed sparse rows: row r's entries are columns[rowStart[r] .. rowStart[r + 1]). */
export interface CsrMatrix {
  rows: number;
  columns: number;
  rowStart: Int32Array;
  columnIndex: Int32Array;
  /** float32 halves the memory traffic of every solver pass; the model itself stays float64. */
  values: Float32Array;
}
