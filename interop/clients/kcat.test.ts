import { kcatDriver } from '../drivers/kcat.ts';
import { clientScenarios } from '../suite/client-scenarios.ts';

clientScenarios(kcatDriver);
