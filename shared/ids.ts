/** The shapes of the IDs a link spec names (its schema, the API's and the drift check's role lists read them). */
export const ids = {
  project: /^proj-[0-9a-f]{8,32}$/,
  // Dedicated clusters are `in01-`; `in03-`/`in05-` (serverless/free) cannot use PrivateLink.
  cluster: /^in\d{2}-[0-9a-f]{10,32}$/,
  account: /^[1-9]\d{9,19}$/,
  vpc: /^vpc-[0-9a-z]{6,32}$/,
  vSwitch: /^vsw-[0-9a-z]{6,32}$/,
  securityGroup: /^sg-[0-9a-z]{6,32}$/,
  // EndpointName: 2–128 chars, starts with a letter or Chinese character (CreateVpcEndpoint docs).
  endpointName: /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]{1,127}$/,
  // A role of a main account (sts_2015-04-01.json, AssumeRole RoleArn: `acs:ram::<account_id>:role/<role_name>`).
  roleArn: /^acs:ram::\d{16}:role\/[A-Za-z0-9.@_-]{1,64}$/,
  externalId: /^[\w+=,.@:/-]{2,1224}$/,
};
