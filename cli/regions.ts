import { Option } from 'commander';
import { regionsParser } from './options.ts';
import { isRegion, REGIONS } from '../shared/regions.ts';

/**
 * The regions a fleet command (`zpl list`, `zpl drift`) covers: the `--region` flags, else
 * `ZPL_REGIONS` (comma- or space-separated), else the target's own region (the stack's, or
 * `ZPL_REGION`, else cn-hangzhou, for the real clouds). A name outside the regions Zilliz serves
 * on Alibaba is refused: nothing is managed there, and a typo would read as a clean, empty fleet.
 */
export const regionsOption = () =>
  new Option('--region <region...>', 'regions to cover (default: ZPL_REGIONS, else the target region)').argParser(
    (value: string, previous: string[] | undefined) => regionsParser([])(value, previous ?? []),
  );

export function configuredRegions(flags: string[] | undefined, targetRegion: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = flags?.length ? flags : (env.ZPL_REGIONS ?? '').split(/[\s,]+/).filter(Boolean);
  const regions = [...new Set(listed.length ? listed : [targetRegion])];
  const unknown = regions.filter((r) => !isRegion(r));
  if (unknown.length)
    throw new Error(
      `unknown region${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (${flags?.length ? '--region' : 'ZPL_REGIONS'}): use ${REGIONS.join(', ')}`,
    );
  return regions;
}
