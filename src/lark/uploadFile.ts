import { larkError, networkError } from './larkErrors.js';
import { LarkApiError, type UploadFile } from './LarkApi.js';

// POST /open-apis/im/v1/files (multipart): a file for a file message; Lark answers its file_key.
// Plain fetch + FormData on both runtimes (the SDK's axios upload sends a Buffer part without a
// filename), authorised with the caller's tenant token.

export async function uploadFile(
  baseUrl: string,
  token: string,
  file: UploadFile,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<string> {
  const form = new FormData();
  form.append('file_type', file.type);
  form.append('file_name', file.name);
  form.append('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(`${baseUrl}/open-apis/im/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
  } catch (err) {
    throw networkError('file_upload', err);
  }
  let json: Record<string, unknown> = {};
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    /* judged by status */
  }
  const code = typeof json.code === 'number' ? json.code : undefined;
  if (!res.ok || (code !== undefined && code !== 0))
    throw larkError(
      'file_upload',
      res.status,
      code,
      typeof json.msg === 'string' ? json.msg : undefined,
      res.headers.get('x-ogw-ratelimit-reset'),
    );
  const key = (json.data as Record<string, unknown> | undefined)?.file_key;
  if (typeof key !== 'string' || !key)
    throw new LarkApiError('file_upload: no file_key in the answer', code, res.status, false);
  return key;
}
