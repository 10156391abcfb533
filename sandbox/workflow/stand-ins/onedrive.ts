/**
 * OneDrive for Business, locally: `CreateFile` (Create file) writes the file under the stand-in's folder
 * (`out/onedrive/` for `npm start`), at the flow's folder path, creating the folders on the way (as the
 * connector does, unconfirmed for every tenant). File content comes as the platform hands it on: binary
 * content `{"$content-type", "$content": <base64>}` (a file another action answered, e.g. GetRecordingFile)
 * or text. A name OneDrive refuses (`" * : < > ? / \ |`), a path that leaves the drive, or a file that
 * already exists (unconfirmed whether the real connector overwrites; the sandbox refuses, so a flow that
 * writes a file twice shows) fails the action.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { ActionFailure, ok, StandInApi, type ApiCall, type Json, type RunEnv } from '../apis';
import { writeFileAtomically } from '../../../lib/files';

const FORBIDDEN = /["*:<>?/\\|]/;

/** The bytes of a file content value: binary content as the platform represents it, or text. */
export function fileContent(value: Json | undefined): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.$content === 'string') {
    return Buffer.from(value.$content, 'base64');
  }
  throw new ActionFailure(400, 'OneDrive stand-in: the file content must be text or binary content ({"$content-type", "$content"}), got ' + JSON.stringify(value ?? null).slice(0, 80));
}

export function oneDriveStandIn(root: string): StandInApi {
  let opened = false;
  let count = 0;
  const create = (call: ApiCall, env: RunEnv) => {
    const folder = String(call.params.folderPath ?? '');
    const name = String(call.params.name ?? '');
    if (name.trim() === '' || FORBIDDEN.test(name)) throw new ActionFailure(400, `OneDrive stand-in: the file name ${JSON.stringify(name)} is empty or holds a character OneDrive refuses (" * : < > ? / \\ |)`);
    const segments = folder.split('/').filter((s) => s !== '');
    if (segments.some((s) => s === '.' || s === '..' || FORBIDDEN.test(s))) throw new ActionFailure(400, `OneDrive stand-in: the folder path ${JSON.stringify(folder)} is not a path inside the drive`);
    if (!opened) {
      // The drive of this run: what an earlier run left is not this run's.
      fs.rmSync(root, { recursive: true, force: true });
      opened = true;
    }
    const file = path.join(root, ...segments, name);
    if (fs.existsSync(file)) throw new ActionFailure(409, `OneDrive stand-in: ${['', ...segments, name].join('/')} already exists`);
    const bytes = fileContent(call.body);
    writeFileAtomically(file, bytes);
    count++;
    const drivePath = ['', ...segments, name].join('/');
    const id = createHash('sha1').update(drivePath).digest('hex').slice(0, 24);
    return ok({
      Id: id,
      Name: name,
      DisplayName: name,
      Path: drivePath,
      LastModified: new Date(env.now()).toISOString(),
      Size: bytes.length,
      MediaType: typeof call.body === 'object' && call.body !== null && !Array.isArray(call.body) && typeof call.body['$content-type'] === 'string' ? call.body['$content-type'] : 'text/plain',
      IsFolder: false,
      ETag: `"${id}"`,
      FileLocator: drivePath,
    });
  };
  return new StandInApi(
    'onedriveforbusiness',
    'OneDrive for Business stand-in',
    [{ operationId: 'CreateFile', method: 'post', path: '/datasets/default/files', query: ['folderPath', 'name', 'queryParametersSingleEncoded'], body: 'body', run: create }],
    { produced: () => ({ label: 'files', count }) },
  );
}
