import { isAliyunError } from '../aliyun/errors.ts';
import type { PrivateZoneApi } from '../aliyun/pvtz.ts';
import type { Clock } from '../clock.ts';
import { LINGER_MS, MIN_POLL_SECONDS } from './polling.ts';

export type DeleteOutcome = 'deleted' | 'gone' | 'still bound';

/**
 * One DeleteZone. Right after an unbinding PrivateZone can still answer `Zone.VpcExists` ("Zone
 * have vpc bound.", HTTP 400: listed under DescribeZoneInfo in the pvtz metadata; the Terraform
 * provider retries it on DeleteZone, resource_alicloud_pvtz_zone.go): `still bound`, ask again later.
 */
export async function tryDelete(pvtz: PrivateZoneApi, zoneId: string, clientToken: string): Promise<DeleteOutcome> {
  try {
    await pvtz.deleteZone(zoneId, clientToken);
    return 'deleted';
  } catch (e) {
    if (isAliyunError(e, /^Zone\.(NotExists|Invalid\.Id)$/)) return 'gone';
    if (isAliyunError(e, 'Zone.VpcExists')) return 'still bound';
    throw e;
  }
}

/**
 * Deletes an unbound zone from a step that has no flow wait of its own (EnsureDns): asks again every
 * few seconds while PrivateZone still counts a removed binding, for at most the in-step linger.
 * A fresh ClientToken per attempt: a token repeated after a refusal might be answered from it.
 */
export async function deleteUnboundZone(
  pvtz: PrivateZoneApi,
  clock: Clock,
  zoneId: string,
  token: (params: unknown) => string,
): Promise<DeleteOutcome> {
  const since = clock.now();
  for (;;) {
    const outcome = await tryDelete(pvtz, zoneId, token({ zoneId, at: clock.now() }));
    if (outcome !== 'still bound' || clock.now() - since + MIN_POLL_SECONDS * 1000 > LINGER_MS) return outcome;
    const before = clock.now();
    await clock.sleep(MIN_POLL_SECONDS * 1000);
    if (clock.now() === before) return outcome;
  }
}

/** DeleteZoneRecord; a record already gone (a first reply lost, the retry finds nothing: `Record.NotExists`) counts as done. */
export async function deleteRecord(pvtz: PrivateZoneApi, recordId: number, clientToken: string): Promise<void> {
  await pvtz.deleteRecord(recordId, clientToken).catch((e: unknown) => {
    if (!isAliyunError(e, 'Record.NotExists')) throw e;
  });
}
