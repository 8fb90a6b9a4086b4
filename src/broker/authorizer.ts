// Who may do what. Every handler asks before it acts (see handler.ts); the broker starts with an
// authorizer that allows everything, and security (SASL, ACLs) plugs a real one in later without
// touching the handlers.

/** Kafka's ACL operations, under the names its AclOperation enum uses. */
export type AclOperation =
  | 'Read'
  | 'Write'
  | 'Create'
  | 'Delete'
  | 'Alter'
  | 'Describe'
  | 'ClusterAction'
  | 'DescribeConfigs'
  | 'AlterConfigs'
  | 'IdempotentWrite';

/** Kafka's ACL resource types. */
export type ResourceType = 'Topic' | 'Group' | 'Cluster' | 'TransactionalId' | 'DelegationToken' | 'User';

/** The name Kafka gives the single cluster resource. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

/** An authenticated (or anonymous) identity, as Kafka's KafkaPrincipal. */
export interface Principal {
  type: string;
  name: string;
}

export const ANONYMOUS: Principal = Object.freeze({ type: 'User', name: 'ANONYMOUS' });

export interface AuthorizationRequest {
  principal: Principal;
  /** Remote address of the client's connection. */
  host: string;
  operation: AclOperation;
  resourceType: ResourceType;
  resourceName: string;
}

/** Decides synchronously so that a handler never awaits between the check and the action. */
export interface Authorizer {
  authorize(request: AuthorizationRequest): boolean;
}

export const allowAll: Authorizer = Object.freeze({ authorize: () => true });

/** Kafka's AclOperation codes, for the authorized-operations bit fields of Metadata and Describe*. */
const OPERATION_CODES: Readonly<Record<AclOperation, number>> = {
  Read: 3,
  Write: 4,
  Create: 5,
  Delete: 6,
  Alter: 7,
  Describe: 8,
  ClusterAction: 9,
  DescribeConfigs: 10,
  AlterConfigs: 11,
  IdempotentWrite: 12,
};

/** The operations Kafka reports for each resource type. */
const OPERATIONS_BY_TYPE: Readonly<Partial<Record<ResourceType, readonly AclOperation[]>>> = {
  Topic: ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'DescribeConfigs', 'AlterConfigs'],
  Cluster: [
    'Create',
    'Alter',
    'Describe',
    'ClusterAction',
    'DescribeConfigs',
    'AlterConfigs',
    'IdempotentWrite',
  ],
  Group: ['Read', 'Describe', 'Delete'],
};

/** The bit field of operations `check` allows on a resource (bit n = AclOperation code n). */
export function authorizedOperations(
  check: (operation: AclOperation, resourceType: ResourceType, name: string) => boolean,
  resourceType: ResourceType,
  name: string,
): number {
  let bits = 0;
  for (const operation of OPERATIONS_BY_TYPE[resourceType] ?? []) {
    if (check(operation, resourceType, name)) bits |= 1 << OPERATION_CODES[operation];
  }
  return bits;
}
