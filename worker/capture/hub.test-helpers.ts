/** Reads back what the flusher wrote (tests only). */
import { downloadFile, listFiles } from '@huggingface/hub';
import { parseRecordLine, type CaptureRecord } from '../../shared/feedback-record';
import type { HubTarget } from './hub-flusher';

/** Every record in every JSONL shard of the dataset repo, and the shard paths. */
export async function readShards(target: HubTarget): Promise<{ paths: string[]; records: CaptureRecord[] }> {
  const paths: string[] = [];
  const records: CaptureRecord[] = [];
  const creds = { repo: target.repo, hubUrl: target.hubUrl, accessToken: target.accessToken };
  for await (const file of listFiles({ ...creds, recursive: true })) {
    if (file.type !== 'file' || !file.path.endsWith('.jsonl')) continue;
    paths.push(file.path);
    const blob = await downloadFile({ ...creds, path: file.path });
    // Decode bytes explicitly: workerd warns on .text() for a non-text content type (application/jsonl).
    const text = blob ? new TextDecoder().decode(await blob.arrayBuffer()) : '';
    if (!text.endsWith('\n')) throw new Error(`${file.path} does not end with a newline`);
    for (const line of text.split('\n').filter(Boolean)) records.push(parseRecordLine(line));
  }
  return { paths, records };
}
