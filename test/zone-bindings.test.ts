import { describe, expect, it } from 'vitest';
import { bindingsFound, lostBindings, withoutVpc, withVpc } from '../shared/steps/zone-bindings.ts';

/** The binding merge: every binding found is kept with its type and owner; a read-back names any lost. */

const found = bindingsFound([
  { VpcId: 'vpc-eds', RegionId: 'cn-hangzhou', VpcType: 'EDS', VpcUserId: 5555000011112222 },
  { VpcId: 'vpc-own', RegionId: 'cn-hangzhou', VpcType: 'STANDARD', VpcUserId: null },
]);

describe('zone bindings', () => {
  it('keeps VpcType and the owner as found (null VpcUserId = the caller, left unset)', () => {
    expect(found).toEqual([
      { vpcId: 'vpc-eds', regionId: 'cn-hangzhou', vpcType: 'EDS', vpcUserId: '5555000011112222' },
      { vpcId: 'vpc-own', regionId: 'cn-hangzhou', vpcType: 'STANDARD' },
    ]);
  });

  it('adds and removes only this link’s VPC', () => {
    const added = withVpc(found, { vpcId: 'vpc-link', regionId: 'cn-hangzhou' });
    expect(added).toEqual([...found, { vpcId: 'vpc-link', regionId: 'cn-hangzhou', vpcType: 'STANDARD' }]);
    expect(withVpc(added, { vpcId: 'vpc-link', regionId: 'cn-hangzhou' })).toBe(added);
    expect(withoutVpc(added, 'vpc-link')).toEqual(found);
  });

  it('names a kept binding that vanished or changed type or owner', () => {
    expect(lostBindings(found, found)).toEqual([]);
    expect(lostBindings(found, [found[1]!])).toEqual([found[0]]);
    expect(lostBindings(found, [{ ...found[0]!, vpcType: 'STANDARD' }, found[1]!])).toEqual([found[0]]);
    expect(lostBindings(found, [{ ...found[0]!, vpcUserId: '1234567890123456' }, found[1]!])).toEqual([found[0]]);
  });
});
