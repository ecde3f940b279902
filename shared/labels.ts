/** The label set, in the one order used everywhere: ONNX output columns, CSVs, JSON. */
export const LABELS = ['negative', 'neutral', 'positive'] as const;

export type Label = (typeof LABELS)[number];

export const NUM_LABELS = LABELS.length;

export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' && (LABELS as readonly string[]).includes(value);
}

export function labelIndex(label: Label): number {
  return LABELS.indexOf(label);
}
