import { franzGoDriver } from '../drivers/franz-go.ts';
import { clientScenarios } from '../suite/client-scenarios.ts';

clientScenarios(franzGoDriver);
