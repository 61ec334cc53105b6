import type { Storage } from '../../storage';
import { finishRecording, recordingLockName } from './recording';

/**
 * Completes recordings left 'recording' by a reload, a closed tab or a crash: everything appended before is kept and
 * becomes a complete stream and array. Each waits for its recording's Web Lock, so a recording going on in another
 * tab (or a closing page still releasing it) is finished by its own tab, not here. Resolves to the streams completed.
 */
export async function finishInterruptedRecordings(storage: Storage): Promise<string[]> {
  const { rows } = await storage.allDocs({ query: 'portal_type:="Data Stream" AND status:="recording"' });
  const finished = await Promise.all(
    rows.map(({ id }) => {
      const finish = async () => {
        if ((await storage.get(id))['status'] !== 'recording') return undefined; // its own tab finished it
        await finishRecording(storage, id, { interrupted: true });
        return id;
      };
      return 'locks' in navigator ? navigator.locks.request(recordingLockName(id), finish) : finish();
    }),
  );
  return finished.filter((id): id is string => id !== undefined);
}
