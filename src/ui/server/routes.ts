// The JSON API's routes: method, path pattern (captures become params) and handler.
import type { ApiHandler } from './api/api-context.ts';
import { describeGroup, listGroups, resetGroupOffsets } from './api/groups-api.ts';
import { describeJob, listJobs, startJob, stopJob } from './api/jobs-api.ts';
import { browseMessages } from './api/messages-api.ts';
import { overview } from './api/overview-api.ts';
import { alterTopicConfigs, describeTopic, listTopics } from './api/topics-api.ts';

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly pattern: RegExp;
  readonly handle: ApiHandler;
}

const NAME = '([^/]+)';

export const apiRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/api\/overview$/, handle: overview },
  { method: 'GET', pattern: /^\/api\/topics$/, handle: listTopics },
  { method: 'GET', pattern: new RegExp(`^/api/topics/${NAME}$`), handle: describeTopic },
  { method: 'PUT', pattern: new RegExp(`^/api/topics/${NAME}/configs$`), handle: alterTopicConfigs },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/topics/${NAME}/partitions/(\\d+)/messages$`),
    handle: browseMessages,
  },
  { method: 'GET', pattern: /^\/api\/groups$/, handle: listGroups },
  { method: 'GET', pattern: new RegExp(`^/api/groups/${NAME}$`), handle: describeGroup },
  { method: 'POST', pattern: new RegExp(`^/api/groups/${NAME}/reset-offsets$`), handle: resetGroupOffsets },
  { method: 'GET', pattern: /^\/api\/jobs$/, handle: listJobs },
  { method: 'GET', pattern: new RegExp(`^/api/jobs/${NAME}$`), handle: describeJob },
  { method: 'POST', pattern: new RegExp(`^/api/jobs/${NAME}/start$`), handle: startJob },
  { method: 'POST', pattern: new RegExp(`^/api/jobs/${NAME}/stop$`), handle: stopJob },
];

/** The route for a request and its decoded params; 'method' when only the method is wrong. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: string[] } | 'method' | undefined {
  let wrongMethod = false;
  for (const route of apiRoutes) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    if (route.method !== method) {
      wrongMethod = true;
      continue;
    }
    return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return wrongMethod ? 'method' : undefined;
}
