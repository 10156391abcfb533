/**
 * The per-profile figures of `npm run bench`: under each PBX profile (sandbox/pbx/profiles.ts), a burst
 * drained by a GetCallHistory polling flow and a ListCalls walk by nextLink while calls arrive, with the
 * PBX exactly as the profile has it (its order, empty list, cap, overrun, ids, headers, latency). Keys are
 * suffixed by the profile's name: `pollMissed_<profile>`, `pollDuplicated_<profile>`, `listMissed_<profile>`,
 * `listDuplicated_<profile>`. The production 1.0 is not run per profile (baseline null).
 */
import type { ScriptHost } from '../../script-host/host';
import type { Figure } from '../../script-host/bench';
import type { SandboxConnector } from '../connector';
import { apiOptionsOf, type PbxProfile } from '../pbx/profiles';
import { measureDrain } from './drain';
import { measureListPaging } from './lists';

export interface ProfileSizes {
  /** Items of the polling burst (1,000). */
  burst: number;
  /** Calls read with ListCalls (500). */
  listCalls: number;
}

/** The four keys of one profile, in the order they are printed. */
export const profileKeys = (name: string): string[] => ['pollMissed', 'pollDuplicated', 'listMissed', 'listDuplicated'].map((key) => `${key}_${name}`);

export async function measureProfiles(
  connector: SandboxConnector,
  scriptHost: ScriptHost | undefined,
  profiles: readonly PbxProfile[],
  sizes: ProfileSizes,
  progress: (message: string) => void = () => undefined,
): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = {};
  for (const profile of profiles) {
    const pbx = apiOptionsOf(profile);
    progress(`PBX profile ${profile.name}: a ${sizes.burst}-item burst drained by a polling flow`);
    const drain = await measureDrain(connector, { latencyMs: profile.latencyMs, burst: sizes.burst, coldStartMs: 0, maxChecks: 80, pbx, scriptHost });
    progress(`PBX profile ${profile.name}: ${sizes.listCalls} calls read with ListCalls by nextLink while calls arrive`);
    const list = await measureListPaging(connector, scriptHost, profile.latencyMs, sizes.listCalls, pbx);
    const [pollMissed, pollDuplicated, listMissed, listDuplicated] = profileKeys(profile.name);
    figures[pollMissed] = { ours: drain.missed, baseline: null };
    figures[pollDuplicated] = { ours: drain.duplicated, baseline: null };
    figures[listMissed] = { ours: list?.missed ?? null, baseline: null };
    figures[listDuplicated] = { ours: list?.duplicated ?? null, baseline: null };
  }
  return figures;
}
