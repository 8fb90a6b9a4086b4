// DescribeCluster (key 60), versions 0-1: this node as the only broker and the controller.
// Endpoint type 1 (brokers) is the only one served; v1 asking for controllers (2) gets
// UNSUPPORTED_ENDPOINT_TYPE. Requires Describe on the cluster.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DescribeClusterRequest,
  decodeDescribeClusterRequest,
} from '../../protocol/generated/describe-cluster-request.ts';
import {
  type DescribeClusterResponse,
  defaultDescribeClusterResponse,
  encodeDescribeClusterResponse,
} from '../../protocol/generated/describe-cluster-response.ts';
import { authorizedOperations, CLUSTER_RESOURCE_NAME } from '../authorizer.ts';
import { defineHandler } from '../handler.ts';

const BROKER_ENDPOINTS = 1;

export const handler = defineHandler<DescribeClusterRequest, DescribeClusterResponse>({
  apiKey: ApiKey.DescribeCluster,
  decode: decodeDescribeClusterRequest,
  encode: encodeDescribeClusterResponse,
  handle(ctx, request) {
    const response = defaultDescribeClusterResponse();
    const { node } = ctx.services;
    response.clusterId = node.clusterId;
    if (!ctx.authorize('Describe', 'Cluster', CLUSTER_RESOURCE_NAME)) {
      response.errorCode = ErrorCode.clusterAuthorizationFailed;
      return response;
    }
    if (ctx.apiVersion >= 1 && request.endpointType !== BROKER_ENDPOINTS) {
      response.errorCode = ErrorCode.unsupportedEndpointType;
      response.errorMessage = `Endpoint type ${request.endpointType} is not served; use 1 (brokers)`;
      return response;
    }
    response.controllerId = node.nodeId;
    response.brokers = [{ brokerId: node.nodeId, host: node.host, port: node.port, rack: node.rack }];
    if (request.includeClusterAuthorizedOperations) {
      response.clusterAuthorizedOperations = authorizedOperations(
        ctx.authorize,
        'Cluster',
        CLUSTER_RESOURCE_NAME,
      );
    }
    return response;
  },
  errorResponse(_ctx, _request, errorCode) {
    const response = defaultDescribeClusterResponse();
    response.errorCode = errorCode;
    return response;
  },
});
